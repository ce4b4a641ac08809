"""Brazil invoices as the merchant sees them (Silk guide "Upload Invoice (Only for Brazil
Market)"): one row per package with its invoice status, counts, "Show Pending Invoice", single
and bulk XML uploads (a bulk upload is a task in the task list)."""

import uuid
from datetime import datetime
from typing import Annotated

from connector_connections.caller import CallerDep
from fastapi import APIRouter, File, HTTPException, Query, UploadFile
from pydantic import BaseModel, Field

from order_relay import invoice_store, invoices
from order_relay.api.deps import Db, DepsDep, region_filter
from order_relay.core.invoices import InvoiceStatus, match_file
from order_relay.invoice_tasks import BulkOutcome, announce_bulk
from order_relay.invoices import UploadRefused

router = APIRouter(prefix="/api/v1/order-invoices", tags=["order invoices"])


class InvoiceView(BaseModel):
    """A package of an order and its invoice: split packages are a row each, a combined
    package a row per order."""

    tiktok_order_id: str
    package_id: str
    connection_id: str
    tiktok_shop_id: str
    status: InvoiceStatus = Field(description="NEED_INVOICE, PROCESSING, SUCCESS or FAILED.")
    reason: str | None = Field(description="Why the last invoice failed, in plain words.")
    file_name: str | None = Field(description="The last uploaded file.")
    uploaded_at: datetime | None
    updated_at: datetime


class InvoicePage(BaseModel):
    """A page of invoice rows, with the count per status and `pending` (need or failed)."""

    invoices: list[InvoiceView]
    counts: dict[str, int]


class RefusedFile(BaseModel):
    """A file of a bulk upload that was not uploaded."""

    file_name: str
    reason: str


class BulkUpload(BaseModel):
    """What a bulk upload did; the task list shows it as task `task_id`."""

    task_id: str
    uploaded: list[InvoiceView]
    refused: list[RefusedFile]


def _view(row: invoice_store.Invoice) -> InvoiceView:
    return InvoiceView.model_validate(row, from_attributes=True)


@router.get("", response_model=InvoicePage, responses={404: {"description": "Unknown region"}})
async def list_invoices(
    db: Db,
    connection_id: str,
    region: Annotated[str | None, Query(description="A market of the connection: BR.")] = None,
    pending: Annotated[bool, Query(description='"Show Pending Invoice": need or failed.')] = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> InvoicePage:
    """The connection's packages that need (or had) an invoice, newest change first."""
    shop_id = await region_filter(db, connection_id, region)
    rows, counts = await invoice_store.listing(
        db, connection_id, shop_id, pending_only=pending, limit=limit, offset=offset
    )
    return InvoicePage(invoices=[_view(r) for r in rows], counts=counts)


@router.post(
    "/{tiktok_order_id}/{package_id}",
    response_model=InvoiceView,
    responses={
        404: {"description": "No such package to invoice"},
        409: {"description": "Its invoice is processing or verified"},
        422: {"description": "Not an XML invoice of at most 1 MB, or refused by TikTok Shop"},
    },
)
async def upload_invoice(
    tiktok_order_id: str,
    package_id: str,
    db: Db,
    deps: DepsDep,
    caller: CallerDep,
    file: Annotated[UploadFile, File(description="The NF-e XML invoice (at most 1 MB)")],
) -> InvoiceView:
    """Upload one package's invoice; it is PROCESSING until TikTok Shop verifies it."""
    known = await invoice_store.invoice(db, tiktok_order_id, package_id)
    if known is None or not caller.owns(known.connection_id):  # another account's: not found
        raise HTTPException(404, f"Order {tiktok_order_id} has no package {package_id} to invoice.")
    content = await file.read()
    try:
        async with db.transaction():
            row = await invoices.upload(
                db, deps, tiktok_order_id, package_id, file.filename or "invoice.xml", content
            )
    except UploadRefused as exc:
        raise HTTPException(exc.status_code, exc.reason) from exc
    if row.status is InvoiceStatus.FAILED:  # TikTok refused it: recorded, and said
        raise HTTPException(422, row.reason)
    return _view(row)


@router.post(
    "/bulk",
    response_model=BulkUpload,
    responses={404: {"description": "Unknown region"}, 422: {"description": "No files"}},
)
async def bulk_upload(
    db: Db,
    deps: DepsDep,
    connection_id: str,
    files: Annotated[list[UploadFile], File(description="XML invoices named by package id")],
    region: Annotated[str | None, Query(description="A market of the connection: BR.")] = None,
) -> BulkUpload:
    """Upload many invoices at once: each file goes to the package its name holds (and the
    order id too, for a package combined from several orders)."""
    shop_id = await region_filter(db, connection_id, region)
    outcome = BulkOutcome(str(uuid.uuid4()), connection_id, shop_id, len(files))
    await announce_bulk(db, deps.settings, outcome)
    pending = await invoice_store.pending_of(db, connection_id, shop_id)
    uploaded: list[InvoiceView] = []
    for file in files:
        name = file.filename or "invoice.xml"
        target = match_file(name, pending)
        try:
            if isinstance(target, str):
                raise UploadRefused(422, target)
            async with db.transaction():
                row = await invoices.upload(
                    db, deps, target.tiktok_order_id, target.package_id, name, await file.read()
                )
        except UploadRefused as exc:
            outcome.refused(name, exc.reason)
            continue
        if row.status is InvoiceStatus.FAILED:
            outcome.refused(name, row.reason or "TikTok Shop refused the invoice.")
        else:
            uploaded.append(_view(row))
            outcome.succeeded(name)
    await announce_bulk(db, deps.settings, outcome, finished=True)
    refused = [RefusedFile(file_name=n, reason=r) for n, r in outcome.failures]
    return BulkUpload(task_id=outcome.task_id, uploaded=uploaded, refused=refused)
