"""OAuth callback and webhook HMACs match the reference vectors (B9) and reject tampering."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest
from shopify import ShopifyAuthError, callback_hmac, validate_callback, verify_webhook, webhook_hmac

S1 = {
    "code": "a94a110d86d2452eb3e2af4cfb8a3828",
    "shop": "some-shop.myshopify.com",
    "timestamp": "1337178173",
}
S1_HMAC = "2cb1a277650a659f1b11e92a4a64275b128e037f2c3390e3c8fd2d8721dac9e2"
S4_BODY = b'{"foo": "bar"}'
S4_HMAC = "B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g="


def test_oauth_hmac_matches_vector_s1() -> None:
    assert callback_hmac({**S1, "hmac": "ignored"}, "hush") == S1_HMAC


def test_oauth_hmac_escapes_delimiters_like_vector_s3() -> None:
    expected = hmac.new(b"secret", b"a=1%26b=2&c%3D3%26d=4", hashlib.sha256).hexdigest()
    assert callback_hmac({"a": "1&b=2", "c=3&d": "4"}, "secret") == expected


def test_callback_with_valid_hmac_returns_the_shop() -> None:
    params = {**S1, "hmac": S1_HMAC}
    assert validate_callback(params, "hush", now=1337178173 + 60) == "some-shop.myshopify.com"


def test_callback_older_than_a_day_is_rejected() -> None:
    params = {**S1, "hmac": S1_HMAC}
    with pytest.raises(ShopifyAuthError, match="older than one day"):
        validate_callback(params, "hush", now=1337178173 + 86_401)


def test_callback_with_tampered_parameter_is_rejected() -> None:
    params = {**S1, "hmac": S1_HMAC, "shop": "evil-shop.myshopify.com"}
    with pytest.raises(ShopifyAuthError, match="HMAC"):
        validate_callback(params, "hush", now=1337178173)


def test_callback_for_a_foreign_domain_is_rejected_even_when_signed() -> None:
    params = {"code": "x", "shop": "shop.example.com", "timestamp": str(int(time.time()))}
    params["hmac"] = callback_hmac(params, "s")
    with pytest.raises(ShopifyAuthError, match=r"myshopify\.com"):
        validate_callback(params, "s")


def test_callback_with_wrong_state_is_rejected() -> None:
    params = {
        "code": "x",
        "shop": "a.myshopify.com",
        "state": "n1",
        "timestamp": str(int(time.time())),
    }
    params["hmac"] = callback_hmac(params, "s")
    with pytest.raises(ShopifyAuthError, match="state"):
        validate_callback(params, "s", expected_state="n2")


def test_webhook_hmac_matches_vector_s4() -> None:
    assert webhook_hmac(S4_BODY, "test_secret_key") == S4_HMAC
    assert verify_webhook(S4_BODY, S4_HMAC, "test_secret_key")


def test_webhook_with_tampered_body_is_rejected() -> None:
    assert not verify_webhook(b'{"foo": "baz"}', S4_HMAC, "test_secret_key")


def test_webhook_with_wrong_secret_or_no_signature_is_rejected() -> None:
    assert not verify_webhook(S4_BODY, S4_HMAC, "another_secret")
    assert not verify_webhook(S4_BODY, None, "test_secret_key")
