"""A buyer's corrected recipient address (TikTok webhook 3): what it does to the Shopify order.

Before any parcel left, the Shopify shipping address follows TikTok's. Once Shopify fulfilled the
order the parcel already went to the old address: the order is not changed, the merchant is
told. A partly fulfilled order takes the new address for what is still to ship, and the
merchant is told about what already left. Shopify does not let an app change a billing address,
so with "billing = shipping" the billing address keeps the old one (said on the order).
"""

from enum import StrEnum

FULFILLED = frozenset({"FULFILLED"})
PARTLY_FULFILLED = frozenset({"PARTIALLY_FULFILLED"})


class AddressEffect(StrEnum):
    """What the connector does with a changed address."""

    UPDATE = "updated"  # Shopify's shipping address follows
    UPDATE_AND_NOTIFY = "updated_partly_shipped"  # follows, some parcels left already
    NOTIFY = "after_fulfilment"  # not changed: the merchant is told


def address_effect(fulfillment_status: str | None) -> AddressEffect:
    """The effect of an address change on a relayed order, by Shopify's fulfilment status."""
    status = (fulfillment_status or "").upper()
    if status in FULFILLED:
        return AddressEffect.NOTIFY
    if status in PARTLY_FULFILLED:
        return AddressEffect.UPDATE_AND_NOTIFY
    return AddressEffect.UPDATE


def one_line(parts: list[str | None]) -> str:
    """An address as the merchant reads it on one line."""
    return ", ".join(p for p in parts if p)


def notice(effect: AddressEffect, address: str, billing_kept: bool) -> str | None:
    """What the order says to the merchant (None: nothing to say beyond the history)."""
    billing = (
        " The billing address still shows the old one (Shopify does not let apps change it)."
        if billing_kept
        else ""
    )
    if effect is AddressEffect.NOTIFY:
        return (
            f"The buyer changed the shipping address on TikTok Shop after the order was "
            f"fulfilled in Shopify: {address}. The parcel may be on its way to the old address; "
            f"contact the carrier or the buyer."
        )
    if effect is AddressEffect.UPDATE_AND_NOTIFY:
        return (
            f"The buyer changed the shipping address on TikTok Shop after part of the order was "
            f"fulfilled: the rest ships to {address}; parcels already sent went to the old "
            f"address.{billing}"
        )
    if effect is AddressEffect.UPDATE and billing_kept:
        return f"Shipping address updated from TikTok Shop to {address}.{billing}"
    return None
