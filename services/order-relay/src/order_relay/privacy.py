"""order-relay's part in Shopify's privacy webhooks: it alone holds data about customers' orders.

A data request is answered with a report the store owner reads at
`GET /api/v1/order-privacy/{data_request_id}`; a redaction erases what the orders say beyond
their ids; `shop/redact` erases the shop's orders altogether (connector_connections.erasure).
"""

from datetime import datetime
from decimal import Decimal

import structlog
from connector_connections import track_shop_redaction
from connector_contracts import (
    Envelope,
    ShopifyCustomerDataRequested,
    ShopifyCustomerRedactRequested,
)
from connector_runtime.consumer import EventRouter
from connector_runtime.outbox import Effects
from pydantic import AwareDatetime, BaseModel

from order_relay import privacy_store

log = structlog.get_logger()


class HeldOrder(BaseModel):
    """One of the customer's orders as order-relay holds it."""

    tiktok_order_id: str
    shopify_order_id: str | None
    shopify_order_name: str | None
    status: str
    relay_state: str
    total: Decimal | None
    currency: str | None
    created_at: datetime
    tracking_numbers: list[str]
    history: list[str]


class DataReport(BaseModel):
    """Everything the connector holds about one customer (Shopify customers/data_request)."""

    data_request_id: str
    shopify_shop_domain: str
    shopify_customer_id: str
    reported_at: AwareDatetime
    orders: list[HeldOrder]


def track_customer_privacy(router: EventRouter) -> EventRouter:
    """Add the privacy handlers (data report, redaction, shop erasure) to the router."""

    @router.on(ShopifyCustomerDataRequested)
    async def on_customer_data_requested(
        envelope: Envelope[ShopifyCustomerDataRequested], fx: Effects
    ) -> None:
        """Write the report of what is held about the customer's orders."""
        r = envelope.payload
        held = await privacy_store.customer_orders(
            fx.conn, r.shopify_shop_domain, r.shopify_order_ids
        )
        report = DataReport(
            data_request_id=r.data_request_id,
            shopify_shop_domain=r.shopify_shop_domain,
            shopify_customer_id=r.shopify_customer_id,
            reported_at=envelope.occurred_at,
            orders=[HeldOrder(**h) for h in held],
        )
        await privacy_store.save_report(
            fx.conn,
            r.data_request_id,
            r.shopify_shop_domain,
            r.shopify_customer_id,
            report.model_dump_json(),
        )
        log.info("privacy.data_reported", request=r.data_request_id, orders=len(held))

    @router.on(ShopifyCustomerRedactRequested)
    async def on_customer_redact_requested(
        envelope: Envelope[ShopifyCustomerRedactRequested], fx: Effects
    ) -> None:
        """Erase the customer's data from their orders."""
        r = envelope.payload
        count = await privacy_store.redact_orders(
            fx.conn, r.shopify_shop_domain, r.shopify_order_ids
        )
        log.info("privacy.customer_redacted", shop=r.shopify_shop_domain, orders=count)

    return track_shop_redaction(router, privacy_store.forget_connection)
