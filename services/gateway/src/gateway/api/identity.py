"""Who a request is from: a browser session (cookie, plus its CSRF token on unsafe methods) or
a personal API token (`Authorization: Bearer`). One dependency authenticates; the login gate
applies it to the rest of `/api/v1` (ADR 0800, 0820)."""

import hmac
from datetime import datetime
from typing import Annotated, NoReturn

import structlog
from connector_connections.caller import Caller, check_scope
from connector_connections.replica import account_connection_ids
from fastapi import Depends, HTTPException, Request

from gateway.account_store import (
    BOOTSTRAP_ACCOUNT,
    session_identity,
    token_identity,
)
from gateway.api.deps import Db, DepsDep, Pool
from gateway.core.credentials import Identity, Role, looks_like_api_token, secret_hash
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
    """Every `/api/v1` request must authenticate (OAuth callbacks and webhooks live elsewhere
    and keep their own verification), except in the single-account development mode, where it
    acts for the bootstrap account. Either way the request gets its `Caller`, the account and
    its connections (`request.state.caller`: the proxy signs it to the services), and a
    `connection_id` in its path or query outside the account is 404 (ADR 0820)."""
    if not request.url.path.startswith("/api/v1/"):
        return
    # A connection of its own, held only while checking: the proxied routes hold none.
    async with pool.connection() as db:
        if deps.settings.gateway_require_login:
            identity = await identify(request, db, deps.now())
            request.state.identity = identity
            caller = Caller(
                account_id=identity.account_id,
                user_id=identity.user_id,
                role=identity.role,
                connection_ids=await account_connection_ids(db, identity.account_id),
            )
        else:
            caller = Caller(
                account_id=BOOTSTRAP_ACCOUNT,
                role=Role.OWNER,
                connection_ids=await account_connection_ids(db, BOOTSTRAP_ACCOUNT),
            )
    check_scope(request, caller)


def gated_identity(request: Request) -> Identity | None:
    """The logged-in identity of this request (None in the single-account development mode)."""
    identity = getattr(request.state, "identity", None)
    return identity if isinstance(identity, Identity) else None


def gated_caller(request: Request) -> Caller:
    """The caller the login gate found for this request."""
    caller = getattr(request.state, "caller", None)
    if not isinstance(caller, Caller):
        raise RuntimeError("a route outside the login gate asked for its caller")
    return caller


def _refuse(request: Request, reason: str) -> NoReturn:
    _count(request, reason)
    raise HTTPException(401, _REASONS[reason], headers={"WWW-Authenticate": "Bearer"})


def _count(request: Request, reason: str) -> None:
    AUTH_REFUSED.labels(reason).inc()
    log.warning("auth.refused", reason=reason, method=request.method, path=request.url.path)
