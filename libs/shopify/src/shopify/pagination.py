"""Cursor pagination over a GraphQL connection (`first`/`after`, `pageInfo`) (B3)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from shopify.session import JSON, GraphQLSession

MAX_PAGE_SIZE = 250


async def paginate(
    session: GraphQLSession,
    document: str,
    *,
    operation: str,
    path: Sequence[str],
    variables: Mapping[str, Any] | None = None,
    page_size: int = 50,
) -> AsyncIterator[JSON]:
    """Yield every node of the connection at `path`; the document takes `$first` and `$after`."""
    if not 0 < page_size <= MAX_PAGE_SIZE:
        raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
    after: str | None = None
    while True:
        page_vars = {**(variables or {}), "first": page_size, "after": after}
        data = await session.execute(document, page_vars, operation=operation)
        connection = dig(data, path)
        for node in connection_nodes(connection):
            yield node
        info = connection.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            return
        after = info.get("endCursor")


def dig(data: JSON, path: Sequence[str]) -> JSON:
    """The object at `path` inside `data` (empty when a step is missing)."""
    current: Any = data
    for key in path:
        current = current.get(key) if isinstance(current, dict) else None
    return current if isinstance(current, dict) else {}


def connection_nodes(connection: JSON) -> list[JSON]:
    """The nodes of a connection, whether it selected `nodes` or `edges { node }`."""
    if "nodes" in connection:
        return list(connection["nodes"])
    return [edge["node"] for edge in connection.get("edges") or []]
