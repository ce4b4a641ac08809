"""Common plumbing of an API area: calls go through one signed caller for one shop."""

from collections.abc import Mapping
from typing import Any

from tiktok_shop.calls import Files, JsonObject, SignedCaller
from tiktok_shop.endpoints import Endpoint


def page_query(page_size: int, page_token: str | None, **extra: str | None) -> dict[str, str]:
    """Build the query of a paginated search (reference A5); None values are left out."""
    query = {"page_size": str(page_size), "page_token": page_token, **extra}
    return {k: v for k, v in query.items() if v}


class AreaApi:
    """Base of each endpoint group: binds the caller and the shop cipher."""

    def __init__(self, caller: SignedCaller, shop_cipher: str | None) -> None:
        self._caller = caller
        self._shop_cipher = shop_cipher

    async def _call(
        self,
        endpoint: Endpoint,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        files: Files | None = None,
        form: Mapping[str, str] | None = None,
        retry_safe: bool | None = None,
    ) -> JsonObject:
        return await self._caller.call(
            endpoint,
            self._shop_cipher,
            path_params=path_params,
            query=query,
            body=body,
            files=files,
            form=form,
            retry_safe=retry_safe,
        )
