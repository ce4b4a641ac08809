"""Strict admission of Open API calls: app_key, timestamp window, sign, token, shop_cipher, QPS.

Each check returns the platform's own code (reference A1, A2, A5). Route handlers receive a
verified `ShopCall` / `AppCall` through FastAPI dependencies.
"""

import hmac
import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from tiktok_shop.signing import request_sign

from tiktok_shop_sandbox.envelope import PlatformError, invalid_credential
from tiktok_shop_sandbox.quota import retry_after_header
from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import App, JsonDict, Shop, Token
from tiktok_shop_sandbox.world import now


@dataclass(frozen=True)
class AppCall:
    """A verified call to an endpoint that takes no shop_cipher."""

    sandbox: Sandbox
    app: App
    token: Token
    raw_body: bytes
    query: dict[str, str]

    def json(self) -> JsonDict:
        """The JSON object body (empty when there is no body)."""
        return parse_json_object(self.raw_body)


@dataclass(frozen=True)
class ShopCall(AppCall):
    """A verified call scoped to one shop."""

    shop: Shop


def sandbox_of(request: Request) -> Sandbox:
    """The sandbox serving this request."""
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


def parse_json_object(raw: bytes) -> JsonDict:
    """Decode a JSON object body, or fail like the platform (36009022)."""
    if not raw.strip():
        return {}
    try:
        body: Any = json.loads(raw)
    except ValueError as exc:
        raise PlatformError(36009022, "The request body must be valid JSON.", 400) from exc
    if not isinstance(body, dict):
        raise PlatformError(36009022, "The request body must be a JSON object.", 400)
    return body


async def shop_call(request: Request) -> ShopCall:
    """Dependency for shop-scoped endpoints: shop_cipher is required (106013 when missing)."""
    call, shop = await _admit(request, shop_scoped=True)
    assert shop is not None
    return ShopCall(call.sandbox, call.app, call.token, call.raw_body, call.query, shop)


async def app_call(request: Request) -> AppCall:
    """Dependency for endpoints without shop_cipher (sending one is an error, 36009004)."""
    call, _ = await _admit(request, shop_scoped=False)
    return call


async def _admit(request: Request, *, shop_scoped: bool) -> tuple[AppCall, Shop | None]:
    sandbox = sandbox_of(request)
    query = dict(request.query_params)
    app = sandbox.world.apps.get(query.get("app_key", ""))
    if app is None:
        raise invalid_credential("Invalid credentials. The 'app_key' is invalid.")
    _check_timestamp(sandbox, query.get("timestamp"))
    multipart = request.headers.get("content-type", "").startswith("multipart/form-data")
    raw = await request.body()
    _check_sign(app, request.url.path, query, b"" if multipart else raw)
    _check_content_type(request.headers.get("content-type", ""), raw, multipart)
    token = sandbox.world.access_token(request.headers.get("x-tts-access-token", ""), app.key)
    shop = _check_shop(sandbox, app, token, query.get("shop_cipher"), shop_scoped)
    _check_quota(sandbox, request, app, shop)
    return AppCall(sandbox, app, token, raw, query), shop


def _check_timestamp(sandbox: Sandbox, value: str | None) -> None:
    if not value or not value.isdigit() or len(value) != 10:
        raise invalid_credential("Invalid credentials. The 'timestamp' is missing or invalid.")
    settings = sandbox.settings
    age = now() - int(value)
    if age > settings.timestamp_max_age_seconds or -age > settings.timestamp_max_ahead_seconds:
        raise invalid_credential("Invalid credentials. The 'timestamp' is expired or too early.")


def _check_sign(app: App, path: str, query: dict[str, str], body: bytes) -> None:
    sign = query.get("sign")
    if not sign:
        raise invalid_credential("Invalid credentials. The 'sign' query parameter is missing.")
    expected = request_sign(app.secret, path, query, body)
    if not hmac.compare_digest(expected, sign.lower()):
        raise PlatformError(
            106001, "Invalid credentials. The 'sign' query parameter is invalid.", 401
        )


def _check_content_type(content_type: str, raw: bytes, multipart: bool) -> None:
    # JSON endpoints require `content-type: application/json` (reference A1).
    if raw.strip() and not multipart and "application/json" not in content_type:
        raise PlatformError(
            36009022, "The request body must be JSON (application/json) or multipart.", 400
        )


def _check_shop(
    sandbox: Sandbox, app: App, token: Token, cipher: str | None, shop_scoped: bool
) -> Shop | None:
    if not shop_scoped:
        if cipher:
            raise invalid_credential("Unexpected identifier: 'shop_cipher' is not accepted here.")
        return None
    if not cipher:
        raise PlatformError(106013, "The 'shop_cipher' query parameter is missing.", 400)
    shop = sandbox.world.shop_by_cipher(cipher)
    if shop is None or shop.app_key != app.key or not shop.authorized:
        raise invalid_credential("Invalid credentials. The 'shop_cipher' is invalid.")
    in_grant = token.shop_ids is None or shop.id in token.shop_ids
    if shop.seller_id != token.seller_id or not in_grant:
        raise PlatformError(101000, "The access token does not match the shop.", 401)
    return shop


def _check_quota(sandbox: Sandbox, request: Request, app: App, shop: Shop | None) -> None:
    api = f"{request.method} {request.scope['route'].path}"
    wait = sandbox.quota.take(app.key, shop.id if shop else "-", api)
    if wait is not None:
        raise PlatformError(
            36009002,
            "Too many requests. Please retry later.",
            429,
            {"Retry-After": retry_after_header(wait)},
        )


ShopCallDep = Annotated[ShopCall, Depends(shop_call)]
AppCallDep = Annotated[AppCall, Depends(app_call)]
