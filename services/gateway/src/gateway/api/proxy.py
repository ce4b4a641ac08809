"""The public API's routing: requests for a resource go to the service that owns it."""

import httpx
import structlog
from connector_connections.caller import IDENTITY_HEADER, sign_caller
from connector_runtime.deps import utc_now
from fastapi import APIRouter, HTTPException, Request, Response

from gateway.api.deps import DepsDep
from gateway.api.identity import gated_caller
from gateway.core.routes import RESOURCE_OWNERS

router = APIRouter(tags=["routed"])
log = structlog.get_logger()

# Hop-by-hop and recomputed headers are not forwarded (RFC 9110 section 7.6.1).
_DROPPED = {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "upgrade"}
# A merchant's credentials stop at the gateway: the services never see them (ADR 0800); an
# identity header from outside is dropped, the gateway signs its own (ADR 0820).
_CREDENTIALS = {"authorization", "cookie", IDENTITY_HEADER.lower()}
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@router.api_route("/api/v1/{resource}", methods=_METHODS, include_in_schema=False)
@router.api_route("/api/v1/{resource}/{rest:path}", methods=_METHODS, include_in_schema=False)
async def route(resource: str, request: Request, deps: DepsDep, rest: str = "") -> Response:
    """Forward a request to the service that owns `resource` and relay its answer."""
    owner = RESOURCE_OWNERS.get(resource)
    if owner is None:
        raise HTTPException(404, f"no API resource {resource!r}")
    settings, path = deps.settings, request.url.path
    url = f"{settings.service_url(owner)}{path}"
    identity = sign_caller(
        gated_caller(request),
        settings.connector_identity_key.get_secret_value(),
        request.method,
        path,
        utc_now(),  # the wall clock the services check it by, not a test's
    )
    try:
        upstream = await deps.proxy_http.request(
            request.method,
            url,
            params=request.query_params,
            content=await request.body(),
            headers={
                **{
                    k: v
                    for k, v in request.headers.items()
                    if k.lower() not in _DROPPED and k.lower() not in _CREDENTIALS
                },
                IDENTITY_HEADER: identity,
            },
        )
    except httpx.InvalidURL as exc:  # a path no upstream URL can carry
        raise HTTPException(400, f"invalid request path: {exc}") from exc
    except httpx.HTTPError as exc:
        log.warning("proxy.unavailable", owner=owner, error=str(exc))
        raise HTTPException(503, f"{owner} is unavailable, try again shortly") from exc
    headers = {k: v for k, v in upstream.headers.items() if k.lower() not in _DROPPED}
    return Response(upstream.content, status_code=upstream.status_code, headers=headers)
