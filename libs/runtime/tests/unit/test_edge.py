"""The edge's rules on request targets and bodies, without a server."""

import asyncio

import pytest
from connector_runtime.edge import BodyLimits, Refused, check_body, check_target, read_body
from starlette.types import Message, Receive

LIMITS = BodyLimits(max_bytes=10, max_upload_bytes=100, timeout_seconds=0.05)


def chunks(*bodies: bytes, complete: bool = True) -> Receive:
    """A client sending `bodies`, then (unless `complete`) nothing more, ever."""
    messages = [
        {"type": "http.request", "body": b, "more_body": i < len(bodies) - 1 or not complete}
        for i, b in enumerate(bodies)
    ]

    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # a client that stopped sending
        raise AssertionError("unreachable")

    return receive


def scope(content_type: bytes = b"application/json", length: bytes | None = None) -> dict:
    headers = [(b"content-type", content_type)]
    if length is not None:
        headers.append((b"content-length", length))
    return {"type": "http", "headers": headers}


@pytest.mark.parametrize(
    ("path", "query"),
    [("/a\x00b", b""), ("/a\nb", b""), ("/a", b"x=%00"), ("/a", b"x=a%7Fb"), ("/a", b"x=\x01")],
)
def test_control_characters_in_the_target_are_refused(path: str, query: bytes) -> None:
    with pytest.raises(Refused) as refused:
        check_target(path, query)
    assert refused.value.status == 400


def test_ordinary_and_non_ascii_targets_pass() -> None:
    check_target("/api/v1/catalog/c/products/é", b"q=caf%C3%A9&limit=5")


def test_nul_in_a_json_body_is_refused_but_not_in_an_uploaded_file() -> None:
    with pytest.raises(Refused, match="NUL"):
        check_body(b'{"id": "a\\u0000"}', b"application/json")
    check_body(b"\x89PNG\x00\x00", b"multipart/form-data; boundary=x")


async def test_a_body_is_read_whole_across_chunks() -> None:
    assert await read_body(chunks(b"12345", b"678"), LIMITS, scope()) == b"12345678"


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    with pytest.raises(Refused) as refused:
        await read_body(chunks(), LIMITS, scope(length=b"11"))
    assert refused.value.status == 413


async def test_a_body_growing_past_the_limit_is_refused() -> None:
    with pytest.raises(Refused) as refused:
        await read_body(chunks(b"123456", b"789012"), LIMITS, scope())
    assert refused.value.status == 413


async def test_uploads_have_their_own_limit() -> None:
    body = await read_body(chunks(b"x" * 50), LIMITS, scope(b"multipart/form-data; boundary=x"))
    assert len(body) == 50


async def test_a_stalled_body_is_refused_408() -> None:
    with pytest.raises(Refused) as refused:
        await read_body(chunks(b"12", complete=False), LIMITS, scope())
    assert refused.value.status == 408
