"""A connection's order settings (Silk guide "Order Settings"), validated once at the edge."""

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

_PROVIDER_ID = re.compile(r"^[0-9]{1,30}$")

DEFAULT_PAYMENT_METHOD = "TikTokPAY"
MAX_SHIPPING_OPTIONS = 100
# Shopify's shipping line title and code are strings of at most 255 characters.
MAX_SHIPPING_NAME = 255


class OrderSettings(BaseModel):
    """How TikTok orders become Shopify orders for one connection; defaults follow the guide."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    payment_method: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
    ] = Field(
        default=DEFAULT_PAYMENT_METHOD,
        description="Payment gateway label on the Shopify order (marks TikTok orders for ERPs).",
    )
    billing_same_as_shipping: bool = Field(
        default=False, description="Fill in the billing address with the shipping address."
    )
    prevent_negative_inventory: bool = Field(
        default=True,
        description="On: an order whose stock would go below 0 fails; off: stock may go negative.",
    )
    sync_encrypted_email: bool = Field(
        default=True,
        description="On: the buyer's TikTok (relay) email; off: a placeholder address.",
    )
    use_tiktok_pricing: bool = Field(
        default=True, description="On: TikTok prices and discounts; off: Shopify variant prices."
    )
    sync_unsynced_products: bool = Field(
        default=False,
        description="On: lines of unlinked TikTok SKUs become custom (virtual) Shopify lines.",
    )
    retry_orders: bool = Field(
        default=False, description="Retry a failed relay every 10 minutes, 3 times."
    )
    sync_fbt_orders: bool = Field(default=False, description="Relay Fulfilled-by-TikTok orders.")
    auto_archive_cancelled: bool = Field(
        default=False, description="Archive (close) orders cancelled from TikTok in Shopify."
    )
    restock_returned: bool = Field(
        default=False, description="Restock Shopify when a TikTok return completes."
    )
    restock_cancelled: bool = Field(
        default=False, description="Restock Shopify when TikTok cancels an order."
    )
    sync_loop_returns: bool = Field(
        default=False,
        description="Refund on TikTok what Loop Returns refunded in Shopify (the seller must be"
        " approved by TikTok for it).",
    )
    channel_liable_tax: bool = Field(
        default=False, description="Mark tax lines `channelLiable`: TikTok remits the tax."
    )
    sync_on_hold_orders: bool = Field(
        default=True,
        description="Relay orders inside TikTok's 1-hour grace period, held in Shopify.",
    )
    shipping_provider_map: dict[str, str] = Field(
        default_factory=dict,
        description="Shopify tracking company (exactly as in Shopify) -> TikTok shipping provider id.",
    )
    shipping_option_map: dict[str, str] = Field(
        default_factory=dict,
        max_length=MAX_SHIPPING_OPTIONS,
        description=(
            "TikTok shipping option (its name, or its delivery option id) -> Shopify shipping"
            " method (exactly as in Shopify): the title and code of the Shopify order's"
            " shipping line."
        ),
    )

    @field_validator("shipping_provider_map")
    @classmethod
    def _provider_ids(cls, value: dict[str, str]) -> dict[str, str]:
        for company, provider in value.items():
            if not company.strip():
                raise ValueError("Shopify shipping provider names must not be empty")
            if not _PROVIDER_ID.match(provider):
                raise ValueError(f"TikTok shipping provider id for {company!r} must be numeric")
        return value

    @field_validator("shipping_option_map")
    @classmethod
    def _shipping_options(cls, value: dict[str, str]) -> dict[str, str]:
        mapped: dict[str, str] = {}
        for option, method in value.items():
            option, method = option.strip(), method.strip()
            if not option or not method:
                raise ValueError("TikTok shipping options and Shopify shipping methods are needed")
            if len(option) > MAX_SHIPPING_NAME or len(method) > MAX_SHIPPING_NAME:
                raise ValueError(f"names are at most {MAX_SHIPPING_NAME} characters")
            if option in mapped:
                raise ValueError(f"TikTok shipping option {option!r} is mapped twice")
            mapped[option] = method
        return mapped
