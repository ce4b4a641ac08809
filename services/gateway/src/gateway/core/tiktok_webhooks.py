"""Translating verified TikTok Shop webhooks (reference A8) into contract events."""

import hashlib
import json
from datetime import UTC, datetime

from connector_contracts import OrderStatus, OrderStatusChanged
from tiktok_shop.webhook_events import OrderStatusChange, Webhook


def dedupe_key(webhook: Webhook) -> str:
    """Key that identifies one notification across TikTok's retries."""
    if webhook.tts_notification_id:
        return webhook.tts_notification_id
    # Older payloads have no notification id (A8): the content identifies the fact. Hashed,
    # as `data` can be larger than a PostgreSQL index row may hold.
    content = json.dumps(
        [webhook.type, webhook.shop_id, webhook.timestamp, webhook.data], sort_keys=True
    )
    return f"sha256:{hashlib.sha256(content.encode()).hexdigest()}"


def to_order_status_changed(webhook: Webhook) -> OrderStatusChanged:
    """Translate a type-1 webhook into the contract event (ValueError on unknown data)."""
    data = webhook.typed_data()
    assert isinstance(data, OrderStatusChange)
    return OrderStatusChanged(
        tiktok_order_id=data.order_id,
        tiktok_shop_id=webhook.shop_id,
        status=OrderStatus(data.order_status),  # already in the API spelling (CANCEL -> CANCELLED)
        is_on_hold_order=data.is_on_hold_order,
        updated_at=datetime.fromtimestamp(data.update_time, UTC),
        source="webhook",
    )
