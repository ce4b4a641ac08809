"""Loop returns (Silk guide "Sync Loop Return Result to TikTok Shop"): which Shopify refunds are
Loop's, and the TikTok lines and money they refund."""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from connector_contracts import FulfilledLine

# TikTok's code for a seller it did not approve for Create Return (reference create-return).
NOT_APPROVED = 25020005


def is_loop_refund(source_name: str | None, loop_app_ids: Collection[str]) -> bool:
    """A refund made by the Loop app (its transactions' origin is Loop's API client id)."""
    return source_name is not None and source_name in loop_app_ids


@dataclass(frozen=True)
class TikTokRefund:
    """The TikTok line items (one per unit) and the amount a Shopify refund covers."""

    line_item_ids: tuple[str, ...]
    amount: Decimal | None


def tiktok_refund(
    lines: Sequence[FulfilledLine],
    line_map: Mapping[str, Sequence[str]],
    amount: Decimal | None,
) -> TikTokRefund | str:
    """The refund to create on TikTok, or why there is none (lines not from TikTok)."""
    units: list[str] = []
    for line in lines:
        tiktok_lines = list(line_map.get(line.shopify_line_item_id, ()))
        units += tiktok_lines[: line.quantity]
    if not units:
        return "The refund has no line that came from TikTok Shop."
    return TikTokRefund(tuple(units), amount if amount and amount > 0 else None)


def refusal_reason(code: int, message: str) -> str:
    """TikTok's refusal in the merchant's words, with what to do about it."""
    if code == NOT_APPROVED:
        return (
            f"TikTok Shop refused the refund ({code}: {message}): the seller must be approved by"
            " TikTok for the Loop integration. Contact TikTok support, or turn off 'Sync Loop"
            " Return Result to TikTok Shop'."
        )
    return f"TikTok Shop refused the refund ({code}: {message})."
