"""Shopify bulk_operations/finish (reference B4): a bulk operation completed, failed or was canceled.

The payload's field list is UNCONFIRMED (B4), and Shopify writes its enums in lower case there;
the fact carries them upper case, as the Admin API reads them.
"""

from collections.abc import Sequence

from connector_contracts import Event, ShopifyBulkOperationFinished

from gateway.core.shopify_bodies import BulkOperationBody, instant
from gateway.core.shopify_webhooks import ShopifyWebhook

BULK_OPERATIONS_FINISH = "bulk_operations/finish"


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


def to_bulk_operation_finished(webhook: ShopifyWebhook) -> Sequence[Event]:
    """A bulk_operations/finish webhook as one `shopify.bulk_operation.finished` fact."""
    body = BulkOperationBody.model_validate(webhook.body)
    status = _upper(body.status)
    if status is None:
        raise ValueError("bulk_operations/finish without status")
    return [
        ShopifyBulkOperationFinished(
            shop_domain=webhook.shop_domain,
            admin_graphql_api_id=body.gid("BulkOperation"),
            status=status,
            error_code=_upper(body.error_code),
            completed_at=instant(body.completed_at, webhook.triggered_at),
            type=_upper(body.type) or "QUERY",
        )
    ]


TRANSLATORS = {BULK_OPERATIONS_FINISH: to_bulk_operation_finished}
