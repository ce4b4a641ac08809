"""Webhook HMAC: base64 HMAC-SHA256 of the raw body with the app's client secret (B8, S4)."""

from __future__ import annotations

import base64
import hashlib
import hmac


def webhook_hmac(body: bytes, secret: str) -> str:
    """The `X-Shopify-Hmac-Sha256` value Shopify would send for `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_webhook(body: bytes, signature: str | None, secret: str) -> bool:
    """True when `signature` matches the raw `body`; compares in constant time."""
    if not signature:
        return False
    return hmac.compare_digest(webhook_hmac(body, secret).encode(), signature.strip().encode())
