"""TikTok promotion webhook (reference A8, TTS-WH/39): an activity's status changed.

Its event_type name is UNCONFIRMED; the type number is what the gateway routes on.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from connector_contracts import Event, TikTokActivityChanged
from tiktok_shop.webhook_events import Webhook

ACTIVITY_STATUS_CHANGE = 39


def to_activity_changed(webhook: Webhook) -> Sequence[Event]:
    """Webhook 39 as one `tiktok.activity.changed` fact."""
    data = webhook.data
    activity_id, status = data.get("activity_id"), data.get("status")
    if not activity_id or not status:
        raise ValueError("activity webhook without activity_id or status")
    update_time = int(data.get("update_time") or webhook.timestamp)
    return [
        TikTokActivityChanged(
            tiktok_shop_id=webhook.shop_id,
            activity_id=str(activity_id),
            status=str(status),
            updated_at=datetime.fromtimestamp(update_time, UTC),
        )
    ]


TRANSLATORS = {ACTIVITY_STATUS_CHANGE: to_activity_changed}
