"""Cursor pagination as the platform does it: opaque `page_token`, `next_page_token` (A5)."""

import base64
from collections.abc import Sequence
from typing import TypeVar

from tiktok_shop_sandbox.envelope import PlatformError

T = TypeVar("T")


def page_size_of(value: str | int | None, low: int, high: int, default: int | None) -> int:
    """Validate `page_size` against the endpoint's range."""
    if value in (None, ""):
        if default is None:
            raise PlatformError(36009004, "Invalid parameter: 'page_size' is required.", 400)
        return default
    size = int(value) if str(value).isdigit() else -1
    if not low <= size <= high:
        raise PlatformError(12019109, f"page size is invalid: must be in [{low}, {high}]")
    return size


def page(items: Sequence[T], page_size: int, page_token: str | None) -> tuple[list[T], str]:
    """Slice one page; returns the items and the next token ("" on the last page)."""
    offset = _offset(page_token) if page_token else 0
    end = offset + page_size
    token = base64.b64encode(f"offset={end}".encode()).decode() if end < len(items) else ""
    return list(items[offset:end]), token


def _offset(token: str) -> int:
    try:
        text = base64.b64decode(token.encode(), validate=True).decode()
        return int(text.removeprefix("offset="))
    except ValueError as exc:
        raise PlatformError(36009004, "Invalid parameter: 'page_token' is invalid.", 400) from exc


def in_window(value: int, body: dict[str, object], field: str, upper: str = "lt") -> bool:
    """Apply `<field>_ge` and `<field>_lt` (or `_le`) filters from a search body."""
    ge = body.get(f"{field}_ge")
    bound = body.get(f"{field}_{upper}")
    if isinstance(ge, int) and value < ge:
        return False
    if isinstance(bound, int):
        return value <= bound if upper == "le" else value < bound
    return True
