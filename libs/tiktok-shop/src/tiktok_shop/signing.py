"""TikTok Shop request signing (202309+) and webhook signatures, exactly as the platform specifies.

See shared reference A2 (request sign) and A8 (webhook `Authorization` header).
"""

import hashlib
import hmac
from collections.abc import Mapping

# `sign` is the result and `access_token` travels in a header: neither is signed (A2 step 1).
_UNSIGNED_PARAMS = frozenset({"sign", "access_token"})


def request_sign(
    app_secret: str,
    path: str,
    query: Mapping[str, str],
    body: bytes = b"",
    *,
    multipart: bool = False,
) -> str:
    """Return the lowercase-hex `sign`: HMAC-SHA256 over secret+path+params+body+secret."""
    params = "".join(f"{k}{query[k]}" for k in sorted(query) if k not in _UNSIGNED_PARAMS)
    # The body is signed as the exact bytes sent; multipart bodies are never signed.
    message = app_secret.encode() + path.encode() + params.encode()
    if not multipart:
        message += body
    message += app_secret.encode()
    return hmac.new(app_secret.encode(), message, hashlib.sha256).hexdigest()


def webhook_signature(app_key: str, app_secret: str, body: bytes) -> str:
    """Return the `Authorization` header value TikTok sends with a webhook for this raw body."""
    return hmac.new(app_secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()


def verify_webhook(app_key: str, app_secret: str, body: bytes, authorization: str | None) -> bool:
    """Tell whether a webhook's `Authorization` header matches its raw body (constant time)."""
    if not authorization:
        return False
    expected = webhook_signature(app_key, app_secret, body)
    # Compared as bytes: `compare_digest` raises on a str holding non-ASCII characters.
    return hmac.compare_digest(expected.encode(), authorization.strip().lower().encode())
