"""The shop side of OAuth: an auto-approving authorize page and the token endpoint (B2)."""

from __future__ import annotations

import asyncio
import secrets
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from shopify.oauth import callback_hmac

from shopify_sandbox.records import AccessToken, now
from shopify_sandbox.state import Sandbox


def authorize(sandbox: Sandbox, domain: str, params: dict[str, str]) -> Response:
    """Approve the app as the merchant would and redirect to the app's callback."""
    shop, app = sandbox.shops.get(domain), sandbox.apps.get(params.get("client_id", ""))
    if shop is None or app is None or not params.get("redirect_uri"):
        return JSONResponse({"errors": "Invalid shop, client_id or redirect_uri"}, status_code=400)
    if not any(redirect_allowed(params["redirect_uri"], url) for url in app.redirect_urls):
        # Shopify's own words when the URI is not among the app's allowed redirection URLs.
        return JSONResponse(
            {"errors": "The redirect_uri is not whitelisted for this app"}, status_code=400
        )
    code = secrets.token_hex(16)
    sandbox.oauth_codes[code] = (domain, app.client_id)
    query = {
        "code": code,
        "host": "c2FuZGJveA",
        "shop": domain,
        "state": params.get("state", ""),
        "timestamp": str(int(time.time())),
    }
    query["hmac"] = callback_hmac(query, app.client_secret)
    return RedirectResponse(f"{params['redirect_uri']}?{urlencode(query)}", status_code=302)


def redirect_allowed(uri: str, allowed: str) -> bool:
    """Same scheme and host, the allowed path or below it, and the port unless unregistered."""
    got, want = urlsplit(uri), urlsplit(allowed)
    return (
        (got.scheme, got.hostname) == (want.scheme, want.hostname)
        and (want.port is None or got.port == want.port)
        and (got.path == want.path or got.path.startswith(want.path.rstrip("/") + "/"))
    )


async def access_token(sandbox: Sandbox, domain: str, request: Request) -> Response:
    """Exchange a code, or rotate an expiring offline token with its refresh token. Fault rules
    naming operation `accessToken` (or a path glob matching it) apply: `commit_then_drop` rotates the tokens, then
    holds the answer for `delay_seconds` and answers `status` (504): the answer lost in transit;
    the other kinds answer without doing anything."""
    fault = sandbox.faults.pick(domain, {"accessToken"}, request.url.path, named_only=True)
    if fault is not None and fault.kind != "commit_then_drop":
        await asyncio.sleep(fault.delay_seconds)
        if fault.kind != "latency":
            return Response("upstream request timeout", status_code=fault.status or 503)
    answer = await _access_token(sandbox, domain, request)
    if fault is not None and fault.kind == "commit_then_drop":
        await asyncio.sleep(fault.delay_seconds)
        return Response("upstream request timeout", status_code=fault.status or 504)
    return answer


async def _access_token(sandbox: Sandbox, domain: str, request: Request) -> Response:
    fields = await _fields(request)
    app = sandbox.apps.get(str(fields.get("client_id", "")))
    shop = sandbox.shops.get(domain)
    if (
        app is None
        or shop is None
        or not secrets.compare_digest(str(fields.get("client_secret", "")), app.client_secret)
    ):
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    if fields.get("grant_type") == "refresh_token":
        return _refresh(sandbox, domain, app.client_id, str(fields.get("refresh_token", "")))
    issued = sandbox.oauth_codes.pop(str(fields.get("code", "")), None)
    if issued != (domain, app.client_id):
        return JSONResponse(
            {
                "error": "invalid_request",
                "error_description": "The authorization code was not found or was already used",
            },
            status_code=400,
        )
    expiring = str(fields.get("expiring", "0")) == "1"
    return JSONResponse(_token_body(sandbox.issue_token(shop, app.client_id, expiring=expiring)))


def _refresh(sandbox: Sandbox, domain: str, client_id: str, refresh_token: str) -> Response:
    old = sandbox.refresh_tokens.get(refresh_token)
    if old is None or old.shop != domain or old.client_id != client_id:
        return JSONResponse({"error": "invalid_grant"}, status_code=400)
    # Refresh tokens rotate, but the previous one stays valid until its successor is used
    # (changelog 2026-08-28, B2); using this one retires its own predecessor.
    predecessor = sandbox.previous_refresh.pop(refresh_token, None)
    if predecessor is not None:
        sandbox.refresh_tokens.pop(predecessor, None)
    sandbox.tokens.pop(old.token, None)
    new = sandbox.issue_token(sandbox.shops[domain], client_id, expiring=True)
    if new.refresh_token:
        sandbox.previous_refresh[new.refresh_token] = refresh_token
    return JSONResponse(_token_body(new))


def _token_body(token: AccessToken) -> dict[str, Any]:
    body: dict[str, Any] = {"access_token": token.token, "scope": token.scope}
    if token.expires_at is not None:
        body["expires_in"] = int((token.expires_at - now()).total_seconds())
        body["refresh_token"] = token.refresh_token
        body["refresh_token_expires_in"] = 90 * 24 * 3600
    return body


async def _fields(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    return dict(await request.form())
