"""Shopify product webhooks (reference B8): products/create, products/update, products/delete.

Only the product id and the action travel on: catalog-sync re-reads the product, because
deliveries can arrive out of order (B8) and the REST body is not the shape it stores.
"""

from collections.abc import Sequence
from typing import Literal

from connector_contracts import Event, ShopifyProductChanged

from gateway.core.shopify_bodies import ProductBody, instant
from gateway.core.shopify_webhooks import ShopifyWebhook

_ACTIONS: dict[str, Literal["create", "update", "delete"]] = {
    "products/create": "create",
    "products/update": "update",
    "products/delete": "delete",
}


def to_product_changed(webhook: ShopifyWebhook) -> Sequence[Event]:
    """A product webhook as one `shopify.product.changed` fact."""
    body = ProductBody.model_validate(webhook.body)
    return [
        ShopifyProductChanged(
            shop_domain=webhook.shop_domain,
            shopify_product_id=body.gid("Product"),
            action=_ACTIONS[webhook.topic],
            updated_at=instant(body.updated_at, webhook.triggered_at),
        )
    ]


TRANSLATORS = dict.fromkeys(_ACTIONS, to_product_changed)
