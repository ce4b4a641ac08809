"""Relay connections over in-memory lists, with Shopify's first/last rules."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from graphql import GraphQLError

from shopify_sandbox.resolving import Info

T = TypeVar("T")


def encode_cursor(key: str) -> str:
    """An opaque cursor for the item with `key`."""
    return base64.urlsafe_b64encode(key.encode()).decode()


def decode_cursor(cursor: str) -> str:
    """The key inside a cursor; a malformed cursor is a GraphQL error."""
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except ValueError as exc:
        raise GraphQLError(f"Invalid cursor for current pagination sort: {cursor}") from exc


def connection(
    items: Sequence[T],
    info: Info,
    args: dict[str, Any],
    key: Callable[[T], str] = lambda item: str(item.id),  # type: ignore[attr-defined]
) -> dict[str, Any]:
    """Page `items` by first/after/last/before; bulk queries get everything."""
    ordered = list(reversed(items)) if args.get("reverse") else list(items)
    keys = [key(item) for item in ordered]
    start, end = 0, len(ordered)
    if args.get("after") is not None:
        start = _index(keys, decode_cursor(args["after"])) + 1
    if args.get("before") is not None:
        end = _index(keys, decode_cursor(args["before"]))
    window = list(range(start, max(start, end)))
    if not info.context.bulk:
        window = _limit(window, args, info.context.settings.max_page_size)
    chosen = [ordered[i] for i in window]
    cursors = [encode_cursor(keys[i]) for i in window]
    return {
        "edges": [{"cursor": c, "node": n} for c, n in zip(cursors, chosen, strict=True)],
        "nodes": chosen,
        "pageInfo": {
            "hasNextPage": bool(window) and window[-1] < len(ordered) - 1,
            "hasPreviousPage": bool(window) and window[0] > 0,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }


def _index(keys: list[str], key: str) -> int:
    try:
        return keys.index(key)
    except ValueError as exc:
        raise GraphQLError("Invalid cursor for current pagination sort.") from exc


def _limit(window: list[int], args: dict[str, Any], max_page: int) -> list[int]:
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= max_page:
            raise GraphQLError(f"The '{name}' argument must be between 0 and {max_page}.")
    if first is not None:
        window = window[:first]
    if last is not None:
        window = window[-last:] if last else []
    return window
