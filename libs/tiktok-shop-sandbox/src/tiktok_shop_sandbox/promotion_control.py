"""Control-plane client for promotions: the promotion clock and a shop's activities."""

from types import TracebackType
from typing import Any

import httpx

Json = dict[str, Any]


class PromotionControl:
    """Move the sandbox's promotion clock and inspect activities (unsigned `/_sandbox` calls)."""

    def __init__(self, base_url: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=30)

    async def clock(self, shop_id: str) -> int:
        """The shop's promotion clock's now, Unix seconds."""
        response = await self._http.get(f"/_sandbox/shops/{shop_id}/clock")
        response.raise_for_status()
        return int(response.json()["now"])

    async def advance(self, shop_id: str, seconds: int) -> Json:
        """Move the shop's promotion clock forward; activities ending on the way send webhook
        39."""
        response = await self._http.post(
            f"/_sandbox/shops/{shop_id}/clock", json={"advance_seconds": seconds}
        )
        response.raise_for_status()
        result: Json = response.json()
        return result

    async def activities(self, shop_id: str) -> list[Json]:
        """Every activity of a shop, with its status on the promotion clock."""
        response = await self._http.get(f"/_sandbox/shops/{shop_id}/activities")
        response.raise_for_status()
        result: list[Json] = response.json()
        return result

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()

    async def __aenter__(self) -> "PromotionControl":
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
