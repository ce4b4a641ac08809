"""Product webhooks: TikTok types 5/15/16/37 and Shopify products/* as catalog contract events."""

import pytest
from connector_contracts import ShopifyProductChanged, TikTokProductChanged
from gateway.core.shopify_product_webhooks import TRANSLATORS as SHOPIFY
from gateway.core.shopify_webhooks import ShopifyWebhook
from gateway.core.tiktok_product_webhooks import TRANSLATORS as TIKTOK
from tiktok_shop.webhook_events import Webhook

# Official example shapes: product_id is a JSON number (reference A5/A8).
TYPE_5 = (
    b'{"type":5,"tts_notification_id":"n5","shop_id":"7495540735365777507","timestamp":1700000000,'
    b'"data":{"product_id":1729592969712207008,"status":"PRODUCT_AUDIT_FAILURE",'
    b'"suspended_reason":"Image shows a watermark.","update_time":1700000001}}'
)
TYPE_37 = (
    b'{"type":37,"shop_id":"7495540735365777507","timestamp":1700000000,'
    b'"data":{"product_id":1729592969712207008,"audit":{"status":"APPROVED",'
    b'"pre_approved_reasons":["KEYWORD"]},"update_time":1700000002}}'
)


def translate(body: bytes) -> TikTokProductChanged:
    webhook = Webhook.model_validate_json(body)
    (event,) = TIKTOK[webhook.type](webhook)
    assert isinstance(event, TikTokProductChanged)
    return event


def test_status_change_keeps_the_id_exact_and_the_reason() -> None:
    event = translate(TYPE_5)
    assert event.tiktok_product_id == "1729592969712207008"
    assert (event.status, event.audit_status) == ("PRODUCT_AUDIT_FAILURE", None)
    assert event.reasons == ["Image shows a watermark."]
    assert event.updated_at.timestamp() == 1700000001


def test_audit_change_carries_the_audit_status() -> None:
    event = translate(TYPE_37)
    assert (event.webhook_type, event.audit_status, event.reasons) == (37, "APPROVED", ["KEYWORD"])


def test_every_product_type_is_registered_and_an_id_is_required() -> None:
    assert set(TIKTOK) == {5, 15, 16, 37}
    with pytest.raises(ValueError, match="product_id"):
        translate(TYPE_5.replace(b'"product_id":1729592969712207008,', b""))


@pytest.mark.parametrize(
    ("topic", "action"),
    [("products/create", "create"), ("products/update", "update"), ("products/delete", "delete")],
)
def test_shopify_product_topics(topic: str, action: str) -> None:
    webhook = ShopifyWebhook(
        topic=topic,
        shop_domain="s.myshopify.com",
        webhook_id="w",
        body={"id": 1002, "updated_at": "2026-01-01T10:00:00-05:00"},
    )
    (event,) = SHOPIFY[topic](webhook)
    assert isinstance(event, ShopifyProductChanged)
    assert (event.shopify_product_id, event.action) == ("gid://shopify/Product/1002", action)
    assert event.updated_at is not None
    assert event.updated_at.utcoffset() is not None


def test_shopify_delete_body_has_only_the_id() -> None:
    webhook = ShopifyWebhook(
        topic="products/delete", shop_domain="s", webhook_id="w", body={"id": 7}
    )
    (event,) = SHOPIFY["products/delete"](webhook)
    assert isinstance(event, ShopifyProductChanged)
    assert event.updated_at is None
