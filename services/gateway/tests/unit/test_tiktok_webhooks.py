"""TikTok webhook translation: spelling normalised, ids kept as strings, bad data refused."""

import pytest
from connector_contracts import OrderStatus
from gateway.core.tiktok_webhooks import dedupe_key, to_order_status_changed
from pydantic import ValidationError
from tiktok_shop.webhook_events import Webhook

W1 = (
    b'{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507",'
    b'"timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178",'
    b'"order_status":"UNPAID","update_time":1718305585}}'
)


def webhook(body: bytes) -> Webhook:
    return Webhook.model_validate_json(body)


def test_official_example_translates_to_the_contract_event() -> None:
    event = to_order_status_changed(webhook(W1))
    assert event.tiktok_order_id == "576653688135258178"
    assert event.tiktok_shop_id == "7495540735365777507"
    assert event.status is OrderStatus.UNPAID
    assert event.is_on_hold_order is True
    assert event.updated_at.timestamp() == 1718305585


def test_webhook_spelling_cancel_is_cancelled() -> None:
    event = to_order_status_changed(webhook(W1.replace(b'"UNPAID"', b'"CANCEL"')))
    assert event.status is OrderStatus.CANCELLED


def test_numeric_ids_keep_every_digit() -> None:
    body = W1.replace(b'"order_id":"576653688135258178"', b'"order_id":576653688135258179')
    assert to_order_status_changed(webhook(body)).tiktok_order_id == "576653688135258179"


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError, match="TELEPORTED"):
        to_order_status_changed(webhook(W1.replace(b"UNPAID", b"TELEPORTED")))


def test_missing_order_id_is_refused() -> None:
    with pytest.raises(ValidationError, match="order_id"):
        to_order_status_changed(webhook(W1.replace(b'"order_id":"576653688135258178",', b"")))


def test_dedupe_key_is_the_notification_id_or_the_content() -> None:
    w = webhook(W1)
    assert dedupe_key(w) == "7380066284010030890"
    legacy = w.model_copy(update={"tts_notification_id": ""})
    assert dedupe_key(legacy) == dedupe_key(legacy.model_copy())
    assert dedupe_key(legacy) != dedupe_key(legacy.model_copy(update={"timestamp": 1}))
