"""`create_app(settings)`: the sandbox ASGI app (wiring only).

Shops are routed two ways (see README): by path prefix `/shops/{shop}/admin/...` (what tests
and the client's `base_url_template` use) or by the Host header `{shop}.myshopify.com` with
plain `/admin/...` paths.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import Response

from shopify_sandbox.cdn import cdn_router
from shopify_sandbox.control_api import control_router
from shopify_sandbox.graphql_api import handle_graphql
from shopify_sandbox.oauth_api import access_token, authorize
from shopify_sandbox.settings import SandboxSettings
from shopify_sandbox.state import Sandbox


def create_app(settings: SandboxSettings | None = None) -> FastAPI:
    """A fresh simulator with empty state."""
    sandbox = Sandbox(settings or SandboxSettings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await sandbox.webhooks.aclose()

    app = FastAPI(title="Shopify sandbox", lifespan=lifespan)
    app.state.sandbox = sandbox
    app.include_router(control_router())
    app.include_router(cdn_router)

    def host_shop(request: Request) -> str:
        return request.headers.get("host", "").split(":")[0]

    @app.post("/shops/{shop}/admin/api/{version}/graphql.json")
    async def graphql_by_path(shop: str, version: str, request: Request) -> Response:
        return await handle_graphql(sandbox, request, shop, version)

    @app.post("/admin/api/{version}/graphql.json")
    async def graphql_by_host(version: str, request: Request) -> Response:
        return await handle_graphql(sandbox, request, host_shop(request), version)

    @app.get("/shops/{shop}/admin/oauth/authorize")
    async def authorize_by_path(shop: str, request: Request) -> Response:
        return authorize(sandbox, shop, dict(request.query_params))

    @app.get("/admin/oauth/authorize")
    async def authorize_by_host(request: Request) -> Response:
        return authorize(sandbox, host_shop(request), dict(request.query_params))

    @app.post("/shops/{shop}/admin/oauth/access_token")
    async def token_by_path(shop: str, request: Request) -> Response:
        return await access_token(sandbox, shop, request)

    @app.post("/admin/oauth/access_token")
    async def token_by_host(request: Request) -> Response:
        return await access_token(sandbox, host_shop(request), request)

    return app
