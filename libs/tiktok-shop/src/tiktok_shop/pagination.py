"""Cursor pagination: `page_token` in, `next_page_token` out; empty token means done (A5)."""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and the token of the next one ("" on the last page)."""

    items: list[T]
    next_page_token: str = ""
    total_count: int = 0


async def paginate(fetch: Callable[[str | None], Awaitable[Page[T]]]) -> AsyncIterator[T]:
    """Yield every item, fetching pages until the platform returns no next_page_token."""
    token: str | None = None
    while True:
        page = await fetch(token)
        for item in page.items:
            yield item
        if not page.next_page_token:
            return
        token = page.next_page_token
