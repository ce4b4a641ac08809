"""TikTok product webhooks (reference A8): status (5), information (15), creation (16), audit (37).

Product ids arrive as JSON numbers in the official examples (A5): the client's parser keeps them
as strings.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from connector_contracts import Event, TikTokProductChanged
from tiktok_shop.webhook_events import Webhook

PRODUCT_STATUS_CHANGE = 5
PRODUCT_INFORMATION_CHANGE = 15
PRODUCT_CREATION = 16
PRODUCT_AUDIT_STATUS_CHANGE = 37


def _product_id(data: dict[str, Any]) -> str:
    value = data.get("product_id")
    if value is None or value == "":
        raise ValueError("product webhook without product_id")
    return str(value)


def _reasons(data: dict[str, Any]) -> list[str]:
    audit = data.get("audit")
    approved_with = audit.get("pre_approved_reasons") if isinstance(audit, dict) else None
    raw = [data.get("suspended_reason"), *(approved_with or [])]
    return [str(r) for r in raw if r]


def to_product_changed(webhook: Webhook) -> Sequence[Event]:
    """Any product webhook as one `tiktok.product.changed` fact."""
    data = webhook.data
    audit = data.get("audit") if isinstance(data.get("audit"), dict) else None
    update_time = int(data.get("update_time") or webhook.timestamp)
    return [
        TikTokProductChanged(
            tiktok_shop_id=webhook.shop_id,
            tiktok_product_id=_product_id(data),
            webhook_type=webhook.type,
            status=str(data["status"]) if data.get("status") else None,
            audit_status=str(audit["status"]) if audit and audit.get("status") else None,
            reasons=_reasons(data),
            updated_at=datetime.fromtimestamp(update_time, UTC),
        )
    ]


TRANSLATORS = {
    t: to_product_changed
    for t in (
        PRODUCT_STATUS_CHANGE,
        PRODUCT_INFORMATION_CHANGE,
        PRODUCT_CREATION,
        PRODUCT_AUDIT_STATUS_CHANGE,
    )
}
