"""Turn a mutation payload's `userErrors` into typed exceptions with readable reasons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shopify.errors import InventoryStaleError, ShopifyUserError, UserErrorDetail

STALE_CODES = frozenset({"CHANGE_FROM_QUANTITY_STALE", "COMPARE_QUANTITY_STALE"})


def user_error_details(raw: Iterable[Any]) -> list[UserErrorDetail]:
    """Parse `[{field, message, code}]` entries."""
    return [
        UserErrorDetail(
            field=tuple(str(f) for f in (e.get("field") or [])),
            message=str(e.get("message", "")),
            code=str(e["code"]) if e.get("code") else None,
        )
        for e in raw
    ]


def raise_for_user_errors(operation: str, payload: Any, key: str = "userErrors") -> None:
    """Raise `ShopifyUserError` (or `InventoryStaleError`) when the payload has any."""
    if not isinstance(payload, dict) or not payload.get(key):
        return
    details = user_error_details(payload[key])
    if any(d.code in STALE_CODES for d in details):
        raise InventoryStaleError(operation, details)
    raise ShopifyUserError(operation, details)
