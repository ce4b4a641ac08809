"""A buyer's address change (TikTok webhook 3) on the relayed Shopify order (guide: "How to Sync
Orders" and "Order Settings: Customer attributes", billing address = shipping address)."""

from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.address_change import AddressEffect, address_effect, notice

STATUSES = ["UNFULFILLED", "ON_HOLD", "SCHEDULED", "PARTIALLY_FULFILLED", "FULFILLED", None]


@given(status=st.sampled_from(STATUSES))
def test_the_shopify_address_follows_until_the_order_is_fulfilled(status: str | None) -> None:
    effect = address_effect(status)
    if status == "FULFILLED":
        assert effect is AddressEffect.NOTIFY
    elif status == "PARTIALLY_FULFILLED":
        assert effect is AddressEffect.UPDATE_AND_NOTIFY
    else:
        assert effect is AddressEffect.UPDATE


@given(effect=st.sampled_from(list(AddressEffect)), billing_kept=st.booleans())
def test_the_merchant_is_told_when_a_parcel_may_miss_the_new_address(
    effect: AddressEffect, billing_kept: bool
) -> None:
    said = notice(effect, "2 New St, 95110", billing_kept)
    if effect is AddressEffect.UPDATE:
        assert (said is not None) is billing_kept
    else:
        assert said is not None
        assert "2 New St, 95110" in said
    if said and billing_kept and effect is not AddressEffect.NOTIFY:
        assert "billing address still shows the old one" in said
