"""Data reports for the store owner (Shopify customers/data_request)."""

from connector_connections.caller import CallerDep, owned_ids
from fastapi import APIRouter, HTTPException

from order_relay import privacy_store
from order_relay.api.deps import Db
from order_relay.privacy import DataReport

router = APIRouter(prefix="/api/v1/order-privacy", tags=["privacy"])


@router.get(
    "/{data_request_id}",
    response_model=DataReport,
    responses={404: {"description": "No report for this request (yet)"}},
)
async def data_report(data_request_id: str, db: Db, caller: CallerDep) -> DataReport:
    """What the connector holds about the customer of a Shopify data request (of a store of
    the caller's account)."""
    report = await privacy_store.load_report(db, data_request_id)
    if report is None or not await privacy_store.store_of(
        db, report["shopify_shop_domain"], owned_ids(caller, None)
    ):
        raise HTTPException(404, f"no data report for request {data_request_id}")
    return DataReport.model_validate(report)
