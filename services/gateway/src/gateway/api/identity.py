"""Who a request is from: a browser session (cookie, plus its CSRF token on unsafe methods) or
a personal API token (`Authorization: Bearer`). One dependency authenticates; the login gate
applies it to the rest of `/api/v1` when `GATEWAY_REQUIRE_LOGIN` is on (ADR 0800)."""

import hmac
from datetime import datetime
from typing import Annotated, NoReturn

import structlog
from fastapi import Depends, HTTPException, Request

from gateway.account_store import session_identity, token_identity
from gateway.api.deps import Db, DepsDep, Pool
from gateway.core.credentials import Identity, looks_like_api_token, secret_hash
from gateway.metrics import AUTH_REFUSED

log = structlog.get_logger()

SESSION_COOKIE = "__Host-session"  # __Host-: Secure, Path=/, no Domain, set by this host only
CSRF_HEADER = "X-CSRF-Token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_REASONS = {
    "missing": "log in, or send a personal API token as `Authorization: Bearer <token>`",
    "token": "the API token is unknown, expired or revoked",
    "session": "the session has ended; log in again",
}


async def authenticate(request: Request, db: Db, deps: DepsDep) -> Identity:
    """The identity of the request, or 401 (403 for a cookie request without its CSRF token)."""
    return await identify(request, db, deps.now())


Authenticated = Annotated[Identity, Depends(authenticate)]


async def identify(request: Request, db: Db, now: datetime) -> Identity:
    """Authenticate `request` on an open connection (see `authenticate`)."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        token = token.strip()
        found = None
        if scheme.lower() == "bearer" and looks_like_api_token(token):
            found = await token_identity(db, secret_hash(token), now)
        return found or _refuse(request, "token")
    session = request.cookies.get(SESSION_COOKIE)
    if session is None:
        _refuse(request, "missing")
    seen = await session_identity(db, secret_hash(session), now)
    if seen is None:
        _refuse(request, "session")
    identity, csrf = seen
    if request.method not in _SAFE_METHODS and not hmac.compare_digest(
        request.headers.get(CSRF_HEADER, "").encode(), csrf.encode()
    ):
        _count(request, "csrf")
        detail = f"a request with the session cookie needs its {CSRF_HEADER} header (from login)"
        raise HTTPException(403, detail)
    return identity


async def login_gate(request: Request, deps: DepsDep, pool: Pool) -> None:
    """With `GATEWAY_REQUIRE_LOGIN` on, every `/api/v1` request must authenticate (OAuth
    callbacks and webhooks live elsewhere and keep their own verification). The identity is
    kept on `request.state.identity` for the routes that come to scope by it."""
    if not deps.settings.gateway_require_login or not request.url.path.startswith("/api/v1/"):
        return
    # A connection of its own, held only while checking: the proxied routes hold none.
    async with pool.connection() as db:
        request.state.identity = await identify(request, db, deps.now())


def gated_identity(request: Request) -> Identity | None:
    """The identity the login gate found for this request (None while login is not required)."""
    identity = getattr(request.state, "identity", None)
    return identity if isinstance(identity, Identity) else None


def _refuse(request: Request, reason: str) -> NoReturn:
    _count(request, reason)
    raise HTTPException(401, _REASONS[reason], headers={"WWW-Authenticate": "Bearer"})


def _count(request: Request, reason: str) -> None:
    AUTH_REFUSED.labels(reason).inc()
    log.warning("auth.refused", reason=reason, method=request.method, path=request.url.path)
