"""Settings of the order-relay service."""

from datetime import timedelta

from connector_connections import PlatformSettings
from connector_runtime.settings import ServiceSettings
from pydantic import Field

from order_relay.core.settings import OrderSettings


class OrderRelaySettings(ServiceSettings, PlatformSettings):
    """Order-relay settings (environment variables)."""

    service_name: str = "order-relay"
    http_port: int = 8002
    relay_on_hold_orders: bool = Field(
        default=True,
        description="Default of 'Sync OnHold Orders' for connections without saved settings.",
    )
    order_retry_interval_seconds: float = Field(
        default=600.0, gt=0, description="Pause between retries of a failed relay (guide: 10 min)."
    )
    order_retry_max: int = Field(
        default=3, ge=0, description="Retries of a failed relay when 'Retry Orders' is on."
    )
    order_sweep_interval_seconds: float = Field(
        default=300.0, gt=0, description="How often each connection's TikTok orders are swept."
    )
    order_sweep_window_seconds: float = Field(
        default=3600.0, gt=0, description="A sweep looks at orders updated in this last window."
    )
    order_stuck_after_seconds: float = Field(
        default=600.0,
        gt=0,
        description="A paid order still not handled after this long is relayed again by a sweep.",
    )
    order_timer_poll_seconds: float = Field(
        default=1.0, gt=0, description="Poll interval of retry timers, sweeps and sync tasks."
    )
    order_relay_concurrency: int = Field(
        default=4,
        ge=1,
        description="Orders each replica relays at once (each holds a database connection).",
    )
    order_relay_batch: int = Field(
        default=10,
        ge=1,
        le=50,
        description="Due relay jobs a relay worker claims at once (one statement, one commit);"
        " their TikTok order details are fetched together, up to 50 per call (ADR 0710).",
    )
    order_relay_max_budget_wait_seconds: float = Field(
        default=0.2,
        ge=0,
        description="Longest a relay waits for a Shopify store's API cost budget; a longer wait"
        " postpones the order's relay job instead of holding a relay worker (ADR 0310).",
    )
    order_relay_credential_retries: int = Field(
        default=4,
        ge=0,
        description="Tries again, with backoff, of a relay whose token a platform refused while"
        " the connection shows no authorization problem (a token being refreshed), before the"
        " order fails with the platform's reason.",
    )
    db_pool_size: int = Field(default=16, ge=1, description="PostgreSQL pool size.")
    order_tiktok_cancel_reason: str = Field(
        default="seller_cancel_reason_buyer_request",
        description="TikTok cancel_reason sent when an order is cancelled in Shopify.",
    )
    order_loop_app_ids: str = Field(
        default="",
        description="Comma-separated API client ids of the Loop Returns app in Shopify: a refund"
        " whose transactions one of them made is a Loop return (the Shopify `source_name`).",
    )
    order_loop_return_reason: str = Field(
        default="ecom_order_delivered_refund_and_return_reason_damaged_product",
        description="TikTok return_reason of the refund created for a Loop return.",
    )

    def default_order_settings(self) -> OrderSettings:
        """Order settings of a connection that has saved none."""
        return OrderSettings(sync_on_hold_orders=self.relay_on_hold_orders)

    @property
    def loop_app_ids(self) -> frozenset[str]:
        """The Loop app's API client ids."""
        return frozenset(i.strip() for i in self.order_loop_app_ids.split(",") if i.strip())

    @property
    def retry_interval(self) -> timedelta:
        """Pause between relay retries."""
        return timedelta(seconds=self.order_retry_interval_seconds)
