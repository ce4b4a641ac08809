"""Test harness: run the sandbox on a free port (thread or subprocess) and collect webhooks.

Used by this repo's tests and benchmark; any test suite may use it to get a real HTTP sandbox.
"""

import asyncio
import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tiktok_shop import RetryPolicy, TikTokShopClient

from tiktok_shop_sandbox.app import create_app
from tiktok_shop_sandbox.control_client import ShopHandle
from tiktok_shop_sandbox.settings import SandboxSettings

_START_TIMEOUT = 15.0


class _ThreadServer:
    """Serves an ASGI app with uvicorn in a daemon thread on 127.0.0.1:<free port>."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self.base_url = ""

    def __enter__(self) -> str:
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


class SandboxServer(_ThreadServer):
    """The sandbox app served in-process; `with SandboxServer(settings) as base_url: ...`."""

    def __init__(self, settings: SandboxSettings | None = None) -> None:
        super().__init__(create_app(settings))


@dataclass
class ReceivedWebhook:
    """One POST the receiver got."""

    body: bytes
    authorization: str | None


@dataclass
class WebhookReceiver:
    """A local HTTP endpoint recording webhook POSTs; answers `fail_first` of them with 500."""

    fail_first: int = 0
    received: list[ReceivedWebhook] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        """The ASGI app to serve."""

        async def receive(request: Request) -> Response:
            body = await request.body()
            with self._lock:
                self.received.append(ReceivedWebhook(body, request.headers.get("authorization")))
                failing = len(self.received) <= self.fail_first
            return Response(status_code=500 if failing else 200)

        return Starlette(routes=[Route("/webhooks", receive, methods=["POST"])])

    def serve(self) -> _ThreadServer:
        """A context manager serving this receiver; it yields the base URL."""
        return _ThreadServer(self.app())

    async def wait_for(
        self, predicate: Callable[[list[ReceivedWebhook]], bool], within: float = 10.0
    ) -> list[ReceivedWebhook]:
        """Poll until `predicate(received)` holds (raises TimeoutError after `within` s)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            with self._lock:
                snapshot = list(self.received)
            if predicate(snapshot):
                return snapshot
            await asyncio.sleep(0.02)
        raise TimeoutError(f"webhook condition not met; got {len(self.received)} webhooks")

    def bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies received so far."""
        with self._lock:
            return [json.loads(r.body) for r in self.received]


class SandboxProcess:
    """The sandbox as a child process (`python -m tiktok_shop_sandbox --port 0`)."""

    def __init__(self, settings: SandboxSettings | None = None) -> None:
        self._settings = (settings or SandboxSettings()).model_dump_json()
        self._process: subprocess.Popen[str] | None = None
        self.base_url = ""

    def __enter__(self) -> str:
        self._process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tiktok_shop_sandbox",
                "--port",
                "0",
                "--settings",
                self._settings,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line.startswith("listening on "):
            self._stop()
            raise RuntimeError(f"sandbox did not start: {line!r}")
        self.base_url = line.removeprefix("listening on ").strip()
        return self.base_url

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _stop(self) -> None:
        # Only ever signals the child this object started.
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def client_for(base_url: str, shop: ShopHandle, **kwargs: Any) -> TikTokShopClient:
    """A TikTokShopClient for a sandbox shop (quick retry backoff unless `retry` is given)."""
    kwargs.setdefault("retry", RetryPolicy(max_attempts=4, backoff_base=0.01, backoff_max=0.05))
    return TikTokShopClient(
        app_key=shop.app_key,
        app_secret=shop.app_secret,
        access_token=shop.access_token,
        shop_cipher=shop.cipher,
        base_url=base_url,
        auth_base_url=base_url,
        **kwargs,
    )
