"""The merchant console's files at `/` and the one public OpenAPI document it is typed from
(ADR 1000). The console calls the public API like any client: no route here reads a table."""

import asyncio
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import structlog
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse

from gateway.api.deps import DepsDep
from gateway.core.public_openapi import public_openapi
from gateway.core.routes import RESOURCE_OWNERS

router = APIRouter(tags=["console"])
log = structlog.get_logger()

# Written by `make console` (vite build); absent in a checkout that has not built it.
STATIC = Path(str(resources.files("gateway"))) / "console_static"
_NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Connector console not built</title></head><body><main><h1>The console is not built</h1>
<p>Run <code>make console</code> (needs Node.js and npm), then reload this page.
The API is at <a href="/docs">/docs</a>.</p></main></body></html>"""


@router.get("/api/openapi.json", include_in_schema=False)
async def public_document(request: Request, deps: DepsDep) -> JSONResponse:
    """The whole public API: the gateway's routes and each owning service's, as one document."""
    owners = sorted(set(RESOURCE_OWNERS.values()))
    try:
        answers = await asyncio.gather(
            *(deps.proxy_http.get(f"{deps.settings.service_url(o)}/openapi.json") for o in owners)
        )
        documents: dict[str, dict[str, Any]] = {}
        for owner, answer in zip(owners, answers, strict=True):
            answer.raise_for_status()
            documents[owner] = answer.json()
    except httpx.HTTPError as exc:
        log.warning("openapi.owner_unavailable", error=str(exc))
        raise HTTPException(503, f"a service is unavailable, try again shortly ({exc})") from exc
    return JSONResponse(public_openapi(request.app.openapi(), documents))


@router.get("/", include_in_schema=False, response_model=None)
async def console_page() -> FileResponse | HTMLResponse:
    """The console's one page (it routes in the browser, by the URL's fragment)."""
    index = STATIC / "index.html"
    if not index.is_file():
        return HTMLResponse(_NOT_BUILT, status_code=404)
    return FileResponse(index, headers={"Cache-Control": "no-cache"})


@router.get("/assets/{name}", include_in_schema=False)
async def console_asset(name: str) -> FileResponse:
    """A built script or style sheet; its name carries a content hash, so it is cached for good."""
    wanted = (STATIC / "assets" / name).resolve()
    if not wanted.is_file() or wanted.parent != (STATIC / "assets").resolve():
        raise HTTPException(404, f"no console asset {name!r}")
    return FileResponse(wanted, headers={"Cache-Control": "public, max-age=31536000, immutable"})
