"""Shopify bulk_operations/finish (reference B4): a bulk operation completed, failed or was canceled.

The payload's field list is UNCONFIRMED (B4), and Shopify writes its enums in lower case there;
the fact carries them upper case, as the Admin API reads them.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from connector_contracts import Event, ShopifyBulkOperationFinished

from gateway.core.shopify_webhooks import ShopifyWebhook

BULK_OPERATIONS_FINISH = "bulk_operations/finish"


def _operation_gid(body: dict[str, Any]) -> str:
    value = body.get("admin_graphql_api_id") or body.get("id")
    if value is None or value == "":
        raise ValueError("bulk_operations/finish without admin_graphql_api_id")
    text = str(value)
    return text if text.startswith("gid://") else f"gid://shopify/BulkOperation/{text}"


def _upper(value: Any) -> str | None:
    return str(value).upper() if value not in (None, "") else None


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_bulk_operation_finished(webhook: ShopifyWebhook) -> Sequence[Event]:
    """A bulk_operations/finish webhook as one `shopify.bulk_operation.finished` fact."""
    body = webhook.body
    status = _upper(body.get("status"))
    if status is None:
        raise ValueError("bulk_operations/finish without status")
    return [
        ShopifyBulkOperationFinished(
            shop_domain=webhook.shop_domain,
            admin_graphql_api_id=_operation_gid(body),
            status=status,
            error_code=_upper(body.get("error_code")),
            completed_at=_instant(body.get("completed_at")) or webhook.triggered_at,
            type=_upper(body.get("type")) or "QUERY",
        )
    ]


TRANSLATORS = {BULK_OPERATIONS_FINISH: to_bulk_operation_finished}
