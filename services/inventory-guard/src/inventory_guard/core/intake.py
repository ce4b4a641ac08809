"""A poll of Shopify stock changes coalesced before it is stored: per item and location, the
figure that storing them one by one would leave (newest Shopify `updated_at`, of equal ones
the later message)."""

from collections.abc import Iterable
from datetime import datetime

from connector_contracts import InventoryChanged

Change = tuple[str, InventoryChanged]  # (connection id, the change)


def level_key(change: Change) -> tuple[str, str, str]:
    """The stored level a change is about: connection, inventory item, location."""
    cid, c = change
    return cid, c.shopify_inventory_item_id, c.shopify_location_id


def newest_levels(changes: Iterable[Change]) -> list[tuple[Change, datetime]]:
    """The newest change of each level, in level order (the one lock order of a batch), with
    the oldest `updated_at` among the level's changes (the push's lag starts there). A later
    change as new as the kept one replaces it, as `store.save_levels` would."""
    newest: dict[tuple[str, str, str], Change] = {}
    oldest: dict[tuple[str, str, str], datetime] = {}
    for change in changes:
        key, at = level_key(change), change[1].updated_at
        kept = newest.get(key)
        if kept is None or kept[1].updated_at <= at:
            newest[key] = change
        oldest[key] = min(oldest.get(key, at), at)
    return [(newest[key], oldest[key]) for key in sorted(newest)]
