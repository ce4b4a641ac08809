"""Shopify product webhooks (reference B8): products/create, products/update, products/delete.

Only the product id and the action travel on: catalog-sync re-reads the product, because
deliveries can arrive out of order (B8) and the REST body is not the shape it stores.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from connector_contracts import Event, ShopifyProductChanged

from gateway.core.shopify_webhooks import ShopifyWebhook

_ACTIONS: dict[str, Literal["create", "update", "delete"]] = {
    "products/create": "create",
    "products/update": "update",
    "products/delete": "delete",
}


def _product_gid(body: dict[str, Any]) -> str:
    value = body.get("admin_graphql_api_id") or body.get("id")
    if value is None or value == "":
        raise ValueError("product webhook without id")
    text = str(value)
    return text if text.startswith("gid://") else f"gid://shopify/Product/{text}"


def _updated_at(body: dict[str, Any]) -> datetime | None:
    value = body.get("updated_at")
    if not isinstance(value, str) or not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def to_product_changed(webhook: ShopifyWebhook) -> Sequence[Event]:
    """A product webhook as one `shopify.product.changed` fact."""
    return [
        ShopifyProductChanged(
            shop_domain=webhook.shop_domain,
            shopify_product_id=_product_gid(webhook.body),
            action=_ACTIONS[webhook.topic],
            updated_at=_updated_at(webhook.body) or webhook.triggered_at,
        )
    ]


TRANSLATORS = dict.fromkeys(_ACTIONS, to_product_changed)
