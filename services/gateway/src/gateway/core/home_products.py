"""The Home dashboard's product counts: each product's newest sync state, and what it adds.

catalog-sync says a product's whole state (`product.sync.changed`, with a growing revision);
the dashboard keeps per connection the live products and per region's shop the synced, sync
failed and update failed ones. "Not synced" is the rest: a live product with no such status in
the region, which also covers a region added later without a message per product.
"""

from collections import Counter
from dataclasses import dataclass, field

from connector_contracts import ProductSyncChanged, ProductSyncStatus
from pydantic import BaseModel, ConfigDict

COUNTED = (
    ProductSyncStatus.SYNCED,
    ProductSyncStatus.SYNC_FAILED,
    ProductSyncStatus.UPDATE_FAILED,
)


class ProductState(BaseModel):
    """A product as the dashboard holds it; revision 0 is "never heard of" (counts nowhere)."""

    model_config = ConfigDict(frozen=True)

    revision: int = 0
    deleted: bool = True
    regions: dict[str, ProductSyncStatus] = {}


NOTHING = ProductState()


def state_of(event: ProductSyncChanged) -> ProductState:
    """The state a message says."""
    return ProductState(
        revision=event.revision,
        deleted=event.deleted,
        regions={r.tiktok_shop_id: r.status for r in event.regions},
    )


def newest_product_state(held: ProductState, incoming: ProductState) -> ProductState:
    """The state to keep: the higher revision; an equal one is a redelivery (keep the held)."""
    return incoming if incoming.revision > held.revision else held


@dataclass(frozen=True)
class ProductMoves:
    """How a change moves the counts: live products, and products per (shop, status)."""

    live: int = 0
    counts: dict[tuple[str, ProductSyncStatus], int] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not self.live and not self.counts


def _contribution(state: ProductState) -> tuple[int, Counter[tuple[str, ProductSyncStatus]]]:
    if state.deleted:
        return 0, Counter()
    return 1, Counter((shop, s) for shop, s in state.regions.items() if s in COUNTED)


def product_moves(old: ProductState, new: ProductState) -> ProductMoves:
    """Take the old state's contribution out and put the new one's in."""
    old_live, old_counts = _contribution(old)
    new_live, new_counts = _contribution(new)
    keys = old_counts.keys() | new_counts.keys()
    counts = {k: new_counts[k] - old_counts[k] for k in sorted(keys)}
    return ProductMoves(new_live - old_live, {k: d for k, d in counts.items() if d})
