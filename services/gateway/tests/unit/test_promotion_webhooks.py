"""Promotion webhook 39 as `tiktok.activity.changed`."""

import pytest
from connector_contracts import TikTokActivityChanged
from gateway.core.webhook_routes import TIKTOK_TRANSLATORS
from tiktok_shop.webhook_events import Webhook

TYPE_39 = (
    b'{"type":39,"tts_notification_id":"n39","shop_id":"7495540735365777507",'
    b'"timestamp":1700000000,"data":{"activity_id":7136104329798256386,"activity_type":'
    b'"FIXED_PRICE","product_level":"VARIATION","status":"EXPIRED","update_time":1700000005}}'
)


def test_activity_status_change_keeps_the_id_exact() -> None:
    webhook = Webhook.model_validate_json(TYPE_39)
    (event,) = TIKTOK_TRANSLATORS[webhook.type](webhook)
    assert isinstance(event, TikTokActivityChanged)
    assert (event.activity_id, event.status) == ("7136104329798256386", "EXPIRED")
    assert event.tiktok_shop_id == "7495540735365777507"
    assert event.updated_at.timestamp() == 1700000005


def test_a_webhook_without_status_is_refused() -> None:
    webhook = Webhook.model_validate_json(TYPE_39.replace(b'"status":"EXPIRED",', b""))
    with pytest.raises(ValueError, match="status"):
        TIKTOK_TRANSLATORS[webhook.type](webhook)
