"""Liveness, readiness and Prometheus endpoints served by every service."""

import asyncio

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from connector_runtime.db import ping

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: the process is up and its event loop answers.")
async def healthz() -> dict[str, str]:
    """Report that the process is alive."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness: the broker and the database are reachable, no consumer is stalled.",
    responses={503: {"description": "A dependency is unreachable"}},
)
async def readyz(request: Request, response: Response) -> dict[str, str]:
    """Check the broker and the database; 503 names the one that is down."""
    runtime = request.app.state.runtime
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(ping(runtime.pool), 3)
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    checks["broker"] = "ok" if await runtime.broker.ping(timeout=3) else "unreachable"
    if stalled := runtime.consumers.stalled():
        checks["consumers"] = f"cannot commit offsets on {', '.join(stalled)}"
    if any(v != "ok" for v in checks.values()):
        response.status_code = 503
    return checks


@router.get("/metrics", summary="Prometheus metrics in the text exposition format.")
async def metrics() -> Response:
    """Expose this process's metrics."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
