"""TikTok Shop webhook bodies (reference A8) and their translation into contract events."""

from datetime import UTC, datetime
from typing import Any

from connector_contracts import OrderStatus, OrderStatusChanged
from pydantic import BaseModel, ConfigDict, Field, field_validator

ORDER_STATUS_CHANGE = 1

# Reference D1: webhooks spell a cancelled order `CANCEL`, the API spells it `CANCELLED`.
_STATUS_ALIASES = {"CANCEL": OrderStatus.CANCELLED}


def normalise_order_status(raw: str) -> OrderStatus:
    """Map a TikTok order status spelling (webhook or API) to the contract's enum."""
    return _STATUS_ALIASES.get(raw) or OrderStatus(raw)


class TikTokWebhook(BaseModel):
    """The envelope of every TikTok webhook."""

    model_config = ConfigDict(extra="ignore")

    type: int
    tts_notification_id: str | None = None
    shop_id: str
    timestamp: int
    data: dict[str, Any]

    @field_validator("shop_id", mode="before")
    @classmethod
    def _id_as_string(cls, value: object) -> object:
        # Reference A5: ids may arrive as JSON numbers; keep them as strings.
        return str(value) if isinstance(value, int) else value


class OrderStatusData(BaseModel):
    """`data` of an ORDER_STATUS_CHANGE (type 1) webhook."""

    model_config = ConfigDict(extra="ignore")

    order_id: str
    order_status: str
    is_on_hold_order: bool = False
    update_time: int = Field(ge=0)

    @field_validator("order_id", mode="before")
    @classmethod
    def _id_as_string(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("order_status")
    @classmethod
    def _known_status(cls, value: str) -> str:
        normalise_order_status(value)
        return value


def dedupe_key(webhook: TikTokWebhook) -> str:
    """Key that identifies one notification across TikTok's retries."""
    if webhook.tts_notification_id:
        return webhook.tts_notification_id
    # Older payloads have no notification id (A8): the content identifies the fact.
    return f"{webhook.type}:{webhook.shop_id}:{webhook.timestamp}:{sorted(webhook.data.items())}"


def to_order_status_changed(webhook: TikTokWebhook) -> OrderStatusChanged:
    """Translate a type-1 webhook into the contract event (raises ValueError on bad data)."""
    data = OrderStatusData.model_validate(webhook.data)
    return OrderStatusChanged(
        tiktok_order_id=data.order_id,
        tiktok_shop_id=webhook.shop_id,
        status=normalise_order_status(data.order_status),
        is_on_hold_order=data.is_on_hold_order,
        updated_at=datetime.fromtimestamp(data.update_time, UTC),
        source="webhook",
    )
