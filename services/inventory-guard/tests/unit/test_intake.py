"""Coalescing a poll of stock changes: what storing them one by one would leave, per level."""

from datetime import UTC, datetime, timedelta

from connector_contracts import InventoryChanged
from hypothesis import given
from hypothesis import strategies as st
from inventory_guard.core.intake import Change, level_key, newest_levels

T0 = datetime(2026, 1, 1, tzinfo=UTC)

changes = st.lists(
    st.builds(
        lambda cid, item, loc, available, minutes: (
            cid,
            InventoryChanged(
                shopify_inventory_item_id=item,
                shopify_location_id=loc,
                available=available,
                updated_at=T0 + timedelta(minutes=minutes),
            ),
        ),
        st.sampled_from(["c1", "c2"]),
        st.sampled_from(["I1", "I2", "I3"]),
        st.sampled_from(["L1", "L2"]),
        st.integers(-5, 50),
        st.integers(0, 5),  # few distinct times: equal updated_at happens often
    ),
    max_size=40,
)


def stored_one_by_one(batch: list[Change]) -> dict[tuple[str, str, str], Change]:
    """What `store.save_levels` leaves (a figure is stored unless the stored one is newer):
    per level, of its changes with the newest `updated_at`, the last one."""
    stored = {}
    for key in {level_key(c) for c in batch}:
        mine = [c for c in batch if level_key(c) == key]
        newest = max(c[1].updated_at for c in mine)
        stored[key] = [c for c in mine if c[1].updated_at == newest][-1]
    return stored


@given(changes)
def test_a_poll_coalesces_to_what_storing_each_change_in_turn_would_leave(
    batch: list[Change],
) -> None:
    coalesced = newest_levels(batch)
    assert {level_key(c): c for c, _ in coalesced} == stored_one_by_one(batch)


@given(changes)
def test_levels_come_in_one_order_with_the_oldest_change_each_push_carries(
    batch: list[Change],
) -> None:
    coalesced = newest_levels(batch)
    keys = [level_key(c) for c, _ in coalesced]
    assert keys == sorted(set(keys))
    for change, since in coalesced:
        same = [c[1].updated_at for c in batch if level_key(c) == level_key(change)]
        assert since == min(same)


def test_an_older_figure_after_a_newer_one_is_dropped_and_an_equal_one_replaces_it() -> None:
    def at(minutes: int, available: int) -> Change:
        change = InventoryChanged(
            shopify_inventory_item_id="I",
            shopify_location_id="L",
            available=available,
            updated_at=T0 + timedelta(minutes=minutes),
        )
        return ("c", change)

    [(kept, since)] = newest_levels([at(2, 5), at(1, 9), at(2, 7)])
    assert (kept[1].available, since) == (7, T0 + timedelta(minutes=1))
