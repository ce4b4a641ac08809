"""Test helpers: serve an ASGI app on a free port, record webhooks, poll with a deadline."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import Response
from shopify import DEFAULT_API_VERSION, ShopifyClient, ShopifyConfig, ThrottleRegistry

from shopify_sandbox.control_client import SandboxControl


@contextmanager
def serve(app: Any, *, startup_timeout: float = 10.0) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 at a free port; yields its base URL, stops it on exit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass
class ReceivedWebhook:
    """One webhook as it arrived: lower-cased headers and the raw body."""

    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The parsed body."""
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """An HTTP endpoint that records every webhook posted to `url`."""

    url: str
    received: list[ReceivedWebhook] = field(default_factory=list)

    def topic(self, topic: str, shop: str | None = None) -> list[ReceivedWebhook]:
        """The deliveries of one topic (and shop)."""
        return [
            r
            for r in self.received
            if r.headers.get("x-shopify-topic") == topic
            and (shop is None or r.headers.get("x-shopify-shop-domain") == shop)
        ]


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    """Serve a recording webhook endpoint on a free port."""
    app = FastAPI()
    receiver = WebhookReceiver(url="")

    @app.post("/hooks")
    async def hook(request: Request) -> Response:
        receiver.received.append(ReceivedWebhook(dict(request.headers), await request.body()))
        return Response(status_code=200)

    with serve(app) as url:
        receiver.url = f"{url}/hooks"
        yield receiver


async def eventually(predicate: Callable[[], bool], within: float = 10.0) -> None:
    """Poll `predicate` until it holds; fail after `within` seconds (no fixed sleeps)."""
    deadline = time.monotonic() + within
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        await asyncio.sleep(0.02)


@dataclass
class SandboxShop:
    """A fresh shop in a running sandbox with an installed app and its token."""

    control: SandboxControl
    shop: str
    token: str
    client_id: str
    client_secret: str
    locations: list[str]
    config: ShopifyConfig

    def client(self, **config: Any) -> ShopifyClient:
        """A client of this shop with its own throttle model (like a separate process)."""
        merged = dataclasses.replace(self.config, **config)
        return ShopifyClient(self.shop, self.token, config=merged, throttle=ThrottleRegistry())


def provision_shop(
    control: SandboxControl,
    *,
    locations: list[str] | None = None,
    plan: str = "standard",
    api_version: str = DEFAULT_API_VERSION,
    redirect_urls: list[str] | None = None,
) -> SandboxShop:
    """Create a uniquely named shop, an app (allowing `redirect_urls`) and a token; configure a
    client for it."""
    shop = control.create_shop(plan=plan, locations=locations or ["Main warehouse", "Overflow"])
    app = control.create_app(redirect_urls=redirect_urls)
    token = control.issue_token(shop["domain"], app["client_id"])
    config = ShopifyConfig(
        api_version=api_version,
        base_url_template=control.shop_url_template(),
        timeout_seconds=5.0,
        bulk_poll_interval_seconds=0.02,
    )
    return SandboxShop(
        control=control,
        shop=shop["domain"],
        token=token,
        client_id=app["client_id"],
        client_secret=app["client_secret"],
        locations=[loc["id"] for loc in shop["locations"]],
        config=config,
    )


class RawAdmin:
    """Plain-HTTP GraphQL calls to one sandbox shop, to check wire shapes without the client."""

    def __init__(
        self, base_url: str, shop: SandboxShop, version: str = DEFAULT_API_VERSION
    ) -> None:
        self.shop = shop
        self.url = f"{base_url}/shops/{shop.shop}/admin/api/{version}/graphql.json"
        self.http = httpx.Client(timeout=30)

    def post(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> httpx.Response:
        """POST a document with the shop's token (or `token`)."""
        headers = {"X-Shopify-Access-Token": self.shop.token if token is None else token}
        body = {"query": query, "variables": variables or {}}
        return self.http.post(self.url, json=body, headers=headers)

    def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a request that must not fail."""
        body = self.post(query, variables).json()
        if "errors" in body:
            raise AssertionError(body["errors"])
        result: dict[str, Any] = body["data"]
        return result

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()
