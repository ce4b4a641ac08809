"""What every request must satisfy before a route sees it: clean path and query, a bounded body.

The body is read here, whole and under a deadline, before any route or dependency runs: a
client that stops sending (or sends too much) is answered 408/413 without ever holding a
database connection. PostgreSQL text cannot hold NUL, so NULs are refused here as bad input.
"""

import asyncio
import json
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from connector_runtime import metrics

log = structlog.get_logger()

_CONTROL = frozenset(range(0x20)) | {0x7F}
_JSON_NUL = b"\\u0000"


class Refused(Exception):
    """A request the edge answers itself, with a status and a reason the client can read."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def check_target(path: str, query_string: bytes) -> None:
    """Refuse control characters (NUL included) in the decoded path or query."""
    if any(ord(c) in _CONTROL for c in path):
        raise Refused(400, "the URL path contains a control character (e.g. NUL)")
    if any(b in _CONTROL for b in unquote_to_bytes(query_string)):
        raise Refused(400, "a query parameter contains a control character (e.g. NUL)")


def check_body(body: bytes, content_type: bytes) -> None:
    """Refuse a JSON body holding NUL: no service can store it (uploaded files may)."""
    if content_type.startswith(b"application/json") and (_JSON_NUL in body or b"\x00" in body):
        raise Refused(400, "the JSON body contains a NUL character")


def header(scope: Scope, name: bytes) -> bytes:
    """A request header's raw value (b"" when absent)."""
    return next((v for k, v in scope.get("headers", ()) if k == name), b"")


@dataclass
class BodyLimits:
    """How much a request may send and how long it may take to send it."""

    max_bytes: int
    # File uploads (multipart forms: certification images, CSV templates) may be larger.
    max_upload_bytes: int
    timeout_seconds: float

    def for_content_type(self, content_type: bytes) -> int:
        """The size limit of a body of this content type."""
        upload = content_type.startswith(b"multipart/form-data")
        return self.max_upload_bytes if upload else self.max_bytes


async def read_body(receive: Receive, limits: BodyLimits, scope: Scope) -> bytes:
    """The whole body, or Refused 413 past the size limit / 408 past the deadline."""
    max_bytes = limits.for_content_type(header(scope, b"content-type"))
    declared = header(scope, b"content-length")
    if declared.isdigit() and int(declared) > max_bytes:
        raise Refused(413, f"the request body exceeds {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(limits.timeout_seconds):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise Refused(400, "the client disconnected before sending its body")
                size += len(chunk := message.get("body", b""))
                if size > max_bytes:
                    raise Refused(413, f"the request body exceeds {max_bytes} bytes")
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
    except TimeoutError:
        raise Refused(
            408, f"the request body took longer than {limits.timeout_seconds} s"
        ) from None


class EdgeGuard:
    """ASGI middleware: refuse bad targets and bodies, then replay the body to the app."""

    def __init__(self, app: ASGIApp, service: str, limits: BodyLimits) -> None:
        self.app = app
        self.service = service
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            check_target(scope["path"], scope.get("query_string", b""))
            body = await read_body(receive, self.limits, scope)
            check_body(body, header(scope, b"content-type"))
        except Refused as refused:
            await self._refuse(refused, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _refuse(self, refused: Refused, send: Send) -> None:
        metrics.HTTP_REJECTED.labels(self.service, "(edge)", str(refused.status)).inc()
        log.warning("request.refused", status=refused.status, reason=refused.detail)
        content = json.dumps({"detail": refused.detail}).encode()
        # The rest of an unread body is not worth reading: the connection closes after this.
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(content)).encode()),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": refused.status, "headers": headers})
        await send({"type": "http.response.body", "body": content})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # what follows the body: the disconnect
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
