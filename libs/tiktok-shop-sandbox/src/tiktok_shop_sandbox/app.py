"""`create_app(settings)`: the simulator's composition root (wiring only)."""

import importlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from tiktok_shop_sandbox.envelope import PlatformError, error_response
from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.settings import SandboxSettings

# Route modules under tiktok_shop_sandbox.routes, one per API area plus the control plane.
_ROUTE_MODULES = (
    "auth",
    "catalog",
    "control",
    "control_orders",
    "control_products",
    "control_promotions",
    "events",
    "fulfillment",
    "global_products",
    "logistics",
    "optimization",
    "orders",
    "products",
    "promotions",
    "returns",
    "stock",
)


def create_app(settings: SandboxSettings | None = None) -> FastAPI:
    """Build the sandbox ASGI app; its state lives as long as the app."""
    sandbox = Sandbox.build(settings or SandboxSettings())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await sandbox.aclose()

    app = FastAPI(title="TikTok Shop sandbox", lifespan=lifespan)
    app.state.sandbox = sandbox
    for name in _ROUTE_MODULES:
        module = importlib.import_module(f"tiktok_shop_sandbox.routes.{name}")
        app.include_router(module.router)
    _install_error_handlers(app)

    @app.middleware("http")
    async def inject_faults(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        return await sandbox.faults.apply(request, call_next)

    return app


def _is_control(request: Request) -> bool:
    return request.url.path.startswith("/_sandbox")


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PlatformError)
    async def platform_error(request: Request, exc: PlatformError) -> JSONResponse:
        if _is_control(request):
            return JSONResponse({"detail": exc.message}, status_code=exc.http_status)
        return error_response(exc)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        if _is_control(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        # Unknown path or version: 36009009 / 36009014; wrong method: 36009010 (reference A5).
        if exc.status_code == 405:
            return error_response(PlatformError(36009010, "Invalid method.", 405))
        return error_response(PlatformError(36009009, "Invalid path.", exc.status_code))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        if _is_control(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return error_response(PlatformError(36009004, f"Invalid parameter: {exc.errors()}", 400))
