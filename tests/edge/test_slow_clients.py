"""Slow and greedy clients cannot take the gateway offline: bodies are bounded in size and time,
webhooks verify before borrowing a database connection, a saturated pool answers 503."""

import asyncio
import socket
import uuid
from collections.abc import Callable, Iterator

import asyncpg
import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.polling import poll
from connector_devstack.sandboxes import Merchant
from connector_devstack.scraping import metric_value
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e

SLOW_CLIENTS = 100
PostWebhook = Callable[..., httpx.Response]


def stalled_upload(gateway: ServiceProcess, path: str = "/webhooks/shopify") -> socket.socket:
    """A client that sends its headers and the start of a 1000-byte body, then nothing."""
    sock = socket.create_connection(("127.0.0.1", gateway.port), timeout=60)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\nX-Shopify-Topic: orders/create\r\n\r\n"
    )
    sock.sendall(head.encode() + b'{"id": ')
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server writes before it closes the connection."""
    reply = b""
    while chunk := sock.recv(4096):
        reply += chunk
    return reply


def answered(sock: socket.socket) -> bool:
    """Whether the server has written anything (or closed) on this socket yet."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return False
    finally:
        sock.setblocking(True)
    return True


@pytest.fixture
def slow_clients(gateway: ServiceProcess) -> Iterator[list[socket.socket]]:
    socks = [stalled_upload(gateway) for _ in range(SLOW_CLIENTS)]
    yield socks
    for sock in socks:
        sock.close()


async def receipt_stored(infra: Infra, webhook_id: str) -> bool:
    conn = await asyncpg.connect(infra.database_url)
    try:
        found = await conn.fetchval(
            "SELECT count(*) FROM gateway.webhook_receipts WHERE dedupe_key = $1", webhook_id
        )
        return bool(found)
    finally:
        await conn.close()


def test_signed_webhooks_are_accepted_while_100_slow_clients_hang_on(
    infra: Infra,
    gateway: ServiceProcess,
    merchant: Merchant,
    slow_clients: list[socket.socket],
    post_shopify: PostWebhook,
) -> None:
    for _ in range(10):
        webhook_id = str(uuid.uuid4())
        accepted = post_shopify(
            "orders/create", b'{"id": 1}', **{"X-Shopify-Webhook-Id": webhook_id}
        )
        assert accepted.status_code == 200
        assert asyncio.run(receipt_stored(infra, webhook_id))
    assert httpx.get(f"{gateway.url}/api/v1/connections", timeout=30).status_code == 200
    assert httpx.get(f"{gateway.url}/readyz", timeout=30).status_code == 200
    # The slow clients were hanging on the whole time (their body deadline is 600 s).
    assert not any(answered(sock) for sock in slow_clients)


def test_a_stalled_upload_is_answered_408_and_closed(
    start_service: Callable[..., ServiceProcess],
) -> None:
    gateway = start_service("gateway", http_body_timeout_seconds="1")
    sock = stalled_upload(gateway)
    with sock:
        reply = read_until_closed(sock)
    assert reply.startswith(b"HTTP/1.1 408 ")
    assert b"took longer than 1.0 s" in reply


def test_an_oversized_body_is_refused_413_before_it_is_sent(gateway: ServiceProcess) -> None:
    # 20 MB announced, none sent: the answer comes without the gateway waiting for the body.
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=60) as sock:
        sock.sendall(
            b"POST /webhooks/tiktok HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 20000000\r\n\r\n"
        )
        reply = read_until_closed(sock)
    assert reply.startswith(b"HTTP/1.1 413 ")
    assert b"exceeds 1048576 bytes" in reply


def test_a_body_growing_past_the_limit_is_refused_413(
    gateway: ServiceProcess, post_shopify: PostWebhook
) -> None:
    body = b'{"id": 1, "pad": "' + b"x" * 2_000_000 + b'"}'
    signed = post_shopify("orders/create", body)
    assert signed.status_code == 413

    def chunks() -> Iterator[bytes]:  # chunked: no Content-Length to refuse it up front
        for _ in range(20):
            yield b"x" * 100_000

    unsigned = httpx.post(f"{gateway.url}/webhooks/tiktok", content=chunks(), timeout=30)
    assert unsigned.status_code == 413
    assert "exceeds" in unsigned.json()["detail"]


async def _hold_lock_and_request(infra: Infra, gateway: ServiceProcess) -> list[httpx.Response]:
    conn = await asyncpg.connect(infra.database_url)
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            tx = conn.transaction()
            await tx.start()
            await conn.execute("LOCK TABLE gateway.connections IN ACCESS EXCLUSIVE MODE")
            # Requests holding the pool's connections wait on the lock; the rest cannot borrow one.
            tasks = [
                asyncio.create_task(http.get(f"{gateway.url}/api/v1/connections")) for _ in range(8)
            ]
            for _ in range(600):
                if sum(t.done() for t in tasks) >= 5:
                    break
                await asyncio.sleep(0.1)
            await tx.rollback()
            return list(await asyncio.gather(*tasks))
    finally:
        await conn.close()


def test_a_saturated_pool_answers_503_with_retry_after(
    infra: Infra, gateway: ServiceProcess
) -> None:
    answers = asyncio.run(_hold_lock_and_request(infra, gateway))
    busy = [a for a in answers if a.status_code == 503]
    assert len(busy) >= 5
    assert {a.status_code for a in answers} <= {200, 503}
    assert all(a.headers["retry-after"] == "1" for a in busy)
    assert "busy" in busy[0].json()["detail"]
    assert metric_value(gateway.url, "connector_db_pool_exhausted_total", service="gateway") >= 5
    assert gateway.log_file is not None
    log = gateway.log_file.read_text()
    assert log.count("db.pool_exhausted") == 1  # one warning for the outage, not one per request
    assert "Exception in ASGI application" not in log  # no request failed with a traceback
    recovered = poll(
        lambda: httpx.get(f"{gateway.url}/api/v1/connections", timeout=30),
        lambda r: r.status_code == 200,
    )
    assert recovered.status_code == 200
