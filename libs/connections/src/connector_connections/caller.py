"""Who calls a service's API: the identity the gateway vouches for, signed (ADR 0820).

The gateway authenticates every `/api/v1` request, then forwards it with `X-Connector-Identity`:
the caller's account, user, role and the ids of the account's connections, bound to the method
and path of that one request and to a short validity, signed with HMAC-SHA256 under
`CONNECTOR_IDENTITY_KEY`. An account with more than `INLINE_CONNECTIONS` connections is signed
without its ids, and the service reads them from its own replica by the account (each
`connection.changed` carries its account), so the header stays under a few hundred bytes
whatever the account's size (ADR 0840). A service trusts nothing else: a request without a valid signature is
401 (403 when signed for another request), and a connection outside the caller's account is 404,
as if it did not exist. Signing and checking are pure functions; `verified_caller` is the one
FastAPI dependency every service's API stands behind (`scoped_api`).
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Annotated, Any

import structlog
from connector_runtime.deps import utc_now
from fastapi import APIRouter, Depends, HTTPException, Request
from prometheus_client import Counter
from pydantic import BaseModel, ConfigDict, ValidationError

from connector_connections.replica import account_connection_ids

IDENTITY_HEADER = "X-Connector-Identity"
# Long enough for a slow proxy hop on a loaded machine, short enough that a header seen in a
# log cannot be replayed later; the services' clocks are the gateway's (one cluster, NTP).
VALIDITY = timedelta(seconds=120)
_VERSION = "v1"
# Up to this many connection ids travel in the header (about 27 bytes each once encoded, so
# under 2 KiB); a larger account's are resolved from the service's replica (ADR 0840).
INLINE_CONNECTIONS = 64

IDENTITY_REFUSED = Counter(
    "connector_identity_refused_total",
    "API requests a service refused for a missing or invalid gateway-signed identity",
    ["service", "reason"],
)
log = structlog.get_logger()


class Caller(BaseModel):
    """The account a request acts for, as the gateway vouches for it."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    user_id: str | None = None  # None: the gateway's single-account development mode
    role: str
    connection_ids: frozenset[str]
    # Signed without its ids (a large account): the service reads them from its replica.
    connections_in_replica: bool = False

    def owns(self, connection_id: str) -> bool:
        """Whether the connection is the caller account's."""
        return connection_id in self.connection_ids


class CallerRefused(Exception):
    """A request whose identity a service cannot trust: the status and a reason to read."""

    def __init__(self, status: int, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.status, self.reason, self.kind = status, reason, kind


def sign_caller(caller: Caller, key: str, method: str, path: str, now: datetime) -> str:
    """The header value vouching that `caller` makes the request `method path` now."""
    claims = {
        "account_id": caller.account_id,
        "user_id": caller.user_id,
        "role": caller.role,
        # None: too many to carry; the service resolves them from its replica by account.
        "connection_ids": (
            sorted(caller.connection_ids)
            if len(caller.connection_ids) <= INLINE_CONNECTIONS
            else None
        ),
        "method": method.upper(),
        "path": path,
        "expires": int((now + VALIDITY).timestamp()),
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{_VERSION}.{payload}.{_mac(key, payload)}"


def verify_caller(value: str | None, key: str, method: str, path: str, now: datetime) -> Caller:
    """The caller a header value vouches for, or `CallerRefused` saying why not."""
    if not value:
        raise CallerRefused(
            401, "the request carries no gateway identity: call the gateway", "missing"
        )
    version, _, rest = value.partition(".")
    payload, _, mac = rest.partition(".")
    if version != _VERSION or not hmac.compare_digest(mac.encode(), _mac(key, payload).encode()):
        raise CallerRefused(401, "the gateway identity's signature is not valid", "signature")
    claims = _claims(payload)
    if claims.get("method") != method.upper() or claims.get("path") != path:
        raise CallerRefused(403, "the gateway identity was signed for another request", "request")
    if not isinstance(claims.get("expires"), int) or claims["expires"] < now.timestamp():
        raise CallerRefused(401, "the gateway identity has expired", "expired")
    if claims.get("connection_ids", []) is None:
        claims = {**claims, "connection_ids": [], "connections_in_replica": True}
    else:
        claims = {**claims, "connections_in_replica": False}
    try:
        return Caller.model_validate(claims)
    except ValidationError as exc:
        raise CallerRefused(401, "the gateway identity is malformed", "malformed") from exc


def _claims(payload: str) -> dict[str, Any]:
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError as exc:  # signed by us, so only a key shared with a bug gets here
        raise CallerRefused(401, "the gateway identity is malformed", "malformed") from exc
    if not isinstance(claims, dict):
        raise CallerRefused(401, "the gateway identity is malformed", "malformed")
    return claims


def _mac(key: str, payload: str) -> str:
    return _b64(hmac.new(key.encode(), payload.encode(), hashlib.sha256).digest())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


async def verified_caller(request: Request) -> Caller:
    """The caller of an API request, checked: signed by the gateway for this request, and any
    `connection_id` in its path or query the caller's (404 otherwise, as for no connection)."""
    settings = request.app.state.runtime.settings
    key = settings.connector_identity_key.get_secret_value()
    try:
        # The wall clock, not the service's (tests move that one): validity is real time.
        caller = verify_caller(
            request.headers.get(IDENTITY_HEADER), key, request.method, request.url.path, utc_now()
        )
    except CallerRefused as refused:
        IDENTITY_REFUSED.labels(settings.service_name, refused.kind).inc()
        log.warning(
            "api.identity_refused",
            reason=refused.kind,
            method=request.method,
            path=request.url.path,
        )
        raise HTTPException(refused.status, refused.reason) from None
    if caller.connections_in_replica:
        caller = await _with_replica_connections(request, caller)
    check_scope(request, caller)
    return caller


async def _with_replica_connections(request: Request, caller: Caller) -> Caller:
    """The caller with its account's connections as this service's replica knows them (a
    connection leaves its account in the replica when it is removed, ADR 0841)."""
    async with request.app.state.runtime.request_pool.connection() as db:
        ids = await account_connection_ids(db, caller.account_id)
    return caller.model_copy(update={"connection_ids": ids})


CallerDep = Annotated[Caller, Depends(verified_caller)]


def check_scope(request: Request, caller: Caller) -> None:
    """404 unless any `connection_id` of the request's path or query is the caller's; keeps the
    caller on `request.state.caller` for the routes that scope by it."""
    for source in (request.path_params, request.query_params):
        connection_id = source.get("connection_id")
        if connection_id is not None:
            require_owned(caller, connection_id)
    request.state.caller = caller


def require_owned(caller: Caller, connection_id: str) -> None:
    """404 for a connection outside the caller's account: never tell it exists."""
    if not caller.owns(connection_id):
        raise HTTPException(404, f"no connection {connection_id}")


def owned_ids(caller: Caller, connection_id: str | None) -> list[str]:
    """The connections a list request covers: the one asked for (already checked), else all of
    the caller's."""
    return [connection_id] if connection_id is not None else sorted(caller.connection_ids)


def scoped_api(routers: Iterable[APIRouter]) -> list[APIRouter]:
    """A service's API routers, every route behind `verified_caller` (order kept: it decides
    which route matches first)."""
    scoped = APIRouter(dependencies=[Depends(verified_caller)])
    for router in routers:
        scoped.include_router(router)
    return [scoped]
