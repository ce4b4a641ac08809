"""Signing matches every TikTok test vector in the shared reference (A3, A8)."""

from tiktok_shop.signing import request_sign, verify_webhook, webhook_signature

W1_BODY = (
    b'{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507",'
    b'"timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178",'
    b'"order_status":"UNPAID","update_time":1718305585}}'
)


def test_official_vector_t1() -> None:
    sign = request_sign(
        "e59af819cc",
        "/authorization/202309/shops",
        {"app_key": "29a39d", "timestamp": "1623812664"},
    )
    assert sign == "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"


def test_library_vector_t2() -> None:
    sign = request_sign("app_secret", "/test-api", {"foo": "bar"})
    assert sign == "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f"


def test_sign_and_access_token_params_are_not_signed() -> None:
    base = {"app_key": "29a39d", "timestamp": "1623812664"}
    with_extras = {**base, "sign": "x", "access_token": "y"}
    assert request_sign("s", "/p", base) == request_sign("s", "/p", with_extras)


def test_body_bytes_change_the_sign_but_multipart_bodies_do_not() -> None:
    q = {"app_key": "k", "timestamp": "1"}
    assert request_sign("s", "/p", q, b'{"a":1,"b":2}') != request_sign(
        "s", "/p", q, b'{"b":2,"a":1}'
    )
    assert request_sign("s", "/p", q, b"file", multipart=True) == request_sign("s", "/p", q)


def test_official_webhook_vector_w1() -> None:
    expected = "5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05"
    assert webhook_signature("abcdef", "123", W1_BODY) == expected
    assert verify_webhook("abcdef", "123", W1_BODY, expected)


def test_tampered_body_or_wrong_secret_is_rejected() -> None:
    good = webhook_signature("abcdef", "123", W1_BODY)
    assert not verify_webhook(
        "abcdef", "123", W1_BODY.replace(b"UNPAID", b"AWAITING_SHIPMENT"), good
    )
    assert not verify_webhook("abcdef", "124", W1_BODY, good)
    assert not verify_webhook("abcdef", "123", W1_BODY, None)
