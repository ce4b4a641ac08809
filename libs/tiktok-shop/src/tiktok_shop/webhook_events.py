"""Parsing TikTok webhooks: verify the signature on the raw bytes, then type the payload (A8).

Ids may arrive as JSON numbers (types 5, 16, 37, reference A5) and statuses in webhook
spellings (`CANCEL`, `CANCELLATION_REQUEST_CANCELLED`, reference D1); both are normalized here.
"""

import json
from typing import Annotated, Any

from pydantic import ConfigDict, Field, field_validator

from tiktok_shop.errors import TikTokShopError
from tiktok_shop.models.common import TikTokModel
from tiktok_shop.models.orders import normalize_order_status
from tiktok_shop.models.returns import normalize_cancel_status
from tiktok_shop.signing import verify_webhook


class InvalidWebhookSignature(TikTokShopError):
    """The `Authorization` header does not match the raw body: answer 401, process nothing."""


# Bounds of what a genuine notification holds: a malformed one is a 400, never a crash further in.
Id = Annotated[str, Field(max_length=128)]
# Seconds since the epoch, up to 2100 (`datetime.fromtimestamp` overflows far beyond).
Timestamp = Annotated[int, Field(ge=0, le=4_102_444_800)]


class WebhookData(TikTokModel):
    """Base of typed webhook `data`: numeric ids become strings without precision loss."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class OrderStatusChange(WebhookData):
    """Type 1: `order_status` normalized to the API spelling (CANCEL -> CANCELLED)."""

    order_id: Id
    order_status: str
    is_on_hold_order: bool = False
    update_time: Timestamp = 0

    @field_validator("order_status")
    @classmethod
    def _api_spelling(cls, value: str) -> str:
        return normalize_order_status(value)


class CancellationStatusChange(WebhookData):
    """Type 11."""

    order_id: Id
    cancel_id: Id = ""
    cancel_status: str
    cancellations_role: str = ""
    create_time: Timestamp = 0

    @field_validator("cancel_status")
    @classmethod
    def _api_spelling(cls, value: str) -> str:
        return normalize_cancel_status(value)


class ReturnStatusChange(WebhookData):
    """Type 12."""

    order_id: Id
    return_id: Id
    return_status: str
    return_type: str = ""
    return_role: str = ""
    update_time: Timestamp = 0


class RecipientAddressUpdate(WebhookData):
    """Type 3: the buyer changed the recipient address (the new one: Get Order Detail)."""

    order_id: Id
    update_time: Timestamp = 0


class PackageOrders(WebhookData):
    """One package of a type-4 webhook and the orders it holds."""

    package_id: Id = ""
    order_id_list: list[Id] = Field(default_factory=list, max_length=1000)


class PackageUpdate(WebhookData):
    """Type 4: packages were split, combined or changed."""

    sc_type: str = ""
    package_list: list[PackageOrders] = Field(default_factory=list, max_length=1000)
    update_time: Timestamp = 0


class ProductStatusChange(WebhookData):
    """Type 5."""

    product_id: Id
    status: str
    suspended_reason: str = ""
    update_time: Timestamp = 0


class ProductAuditStatusChange(WebhookData):
    """Type 37."""

    product_id: Id
    audit: dict[str, Any] = Field(default_factory=dict)
    update_time: Timestamp = 0


class InvoiceStatusChange(WebhookData):
    """Type 36 (Brazil): TikTok verified an uploaded invoice of a package (reference A6 Upload
    Invoice): SUCCESS / PROCESSING / FAILED / INVALID, with `invalid_reason` when it failed."""

    package_id: Id
    order_ids: list[Id] = Field(default_factory=list, max_length=1000)
    invoice_status: str
    invalid_reason: str = ""


DATA_TYPES: dict[int, type[WebhookData]] = {
    1: OrderStatusChange,
    3: RecipientAddressUpdate,
    4: PackageUpdate,
    5: ProductStatusChange,
    11: CancellationStatusChange,
    12: ReturnStatusChange,
    36: InvoiceStatusChange,
    37: ProductAuditStatusChange,
}


class Webhook(TikTokModel):
    """The envelope `{type, tts_notification_id, shop_id, timestamp, data}`."""

    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)

    type: int
    tts_notification_id: Id = ""
    shop_id: Id
    timestamp: Timestamp
    data: dict[str, Any] = Field(default_factory=dict)

    def typed_data(self) -> WebhookData:
        """`data` as the model of this webhook type (a plain WebhookData for other types)."""
        return DATA_TYPES.get(self.type, WebhookData).model_validate(self.data)


def parse_webhook(app_key: str, app_secret: str, raw: bytes, authorization: str | None) -> Webhook:
    """Verify the signature over the exact bytes received, then parse the envelope."""
    if not verify_webhook(app_key, app_secret, raw, authorization):
        raise InvalidWebhookSignature("webhook Authorization does not match its body")
    try:
        payload = json.loads(raw)
    except RecursionError:
        raise ValueError("webhook JSON is nested too deeply") from None
    return Webhook.model_validate(payload)
