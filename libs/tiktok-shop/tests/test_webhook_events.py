"""Webhook parsing: signature first, then typed data with normalized ids and statuses."""

import pytest
from tiktok_shop.signing import webhook_signature
from tiktok_shop.webhook_events import (
    InvalidWebhookSignature,
    OrderStatusChange,
    ProductStatusChange,
    parse_webhook,
)

W1_BODY = (
    b'{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507",'
    b'"timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178",'
    b'"order_status":"UNPAID","update_time":1718305585}}'
)


def test_official_vector_parses_into_an_order_status_change() -> None:
    hook = parse_webhook("abcdef", "123", W1_BODY, webhook_signature("abcdef", "123", W1_BODY))
    data = hook.typed_data()
    assert isinstance(data, OrderStatusChange)
    assert (data.order_id, data.order_status, data.is_on_hold_order) == (
        "576653688135258178",
        "UNPAID",
        True,
    )


def test_bad_signature_is_refused_before_parsing() -> None:
    with pytest.raises(InvalidWebhookSignature):
        parse_webhook("abcdef", "123", W1_BODY, "0" * 64)


def test_cancel_spelling_and_numeric_product_ids_are_normalized() -> None:
    cancel = W1_BODY.replace(b'"UNPAID"', b'"CANCEL"')
    product = (
        b'{"type":5,"shop_id":"1","timestamp":1,"data":{"product_id":1729592969712207008,'
        b'"status":"PRODUCT_AUDIT_FAILURE"}}'
    )
    order = parse_webhook("k", "s", cancel, webhook_signature("k", "s", cancel)).typed_data()
    audit = parse_webhook("k", "s", product, webhook_signature("k", "s", product)).typed_data()
    assert isinstance(order, OrderStatusChange)
    assert isinstance(audit, ProductStatusChange)
    assert order.order_status == "CANCELLED"
    assert audit.product_id == "1729592969712207008"
