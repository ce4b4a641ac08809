"""The Home dashboard's product counts: whatever order a product's states arrive in, and
however often each is delivered, the counts end as the newest states alone would make them,
never below zero; "not synced" is every live product not counted otherwise in the region."""

from collections import Counter
from itertools import zip_longest

from connector_contracts import ProductSyncStatus
from gateway.core.home_products import (
    NOTHING,
    ProductState,
    newest_product_state,
    product_moves,
)
from gateway.core.home_views import product_counts
from hypothesis import given
from hypothesis import strategies as st

SHOPS = ("US1", "GB1", "")

states = st.builds(
    ProductState,
    revision=st.integers(min_value=1, max_value=30),
    deleted=st.booleans(),
    regions=st.dictionaries(st.sampled_from(SHOPS), st.sampled_from(list(ProductSyncStatus))),
)
# Per product: its states, redelivered and shuffled (distinct revisions: a revision is one state).
histories = st.lists(states, min_size=1, max_size=8, unique_by=lambda s: s.revision).flatmap(
    lambda seen: st.permutations(seen + seen[:2])
)


class Counts:
    """The read model's counts, moved as the store moves them."""

    def __init__(self) -> None:
        self.held: dict[str, ProductState] = {}
        self.live = 0
        self.by: Counter[tuple[str, ProductSyncStatus]] = Counter()

    def apply(self, product: str, incoming: ProductState) -> None:
        held = self.held.get(product, NOTHING)
        new = newest_product_state(held, incoming)
        if new is held:
            return
        moves = product_moves(held, new)
        self.held[product] = new
        self.live += moves.live
        self.by.update(moves.counts)
        assert self.live >= 0
        assert min(self.by.values(), default=0) >= 0


def _interleave(per_product: list[list[ProductState]]) -> list[tuple[str, ProductState]]:
    """Round robin over the products' deliveries, as partitions would mix them."""
    rounds = zip_longest(*per_product)
    return [(f"p{i}", s) for r in rounds for i, s in enumerate(r) if s is not None]


@given(st.lists(histories, min_size=1, max_size=5))
def test_any_delivery_order_counts_the_newest_states(per_product: list[list[ProductState]]) -> None:
    live = Counts()
    for product, state in _interleave(per_product):
        live.apply(product, state)
    newest = Counts()
    for i, history in enumerate(per_product):
        newest.apply(f"p{i}", max(history, key=lambda s: s.revision))
    assert (live.live, +live.by) == (newest.live, +newest.by)


@given(st.lists(states, min_size=1, max_size=20))
def test_the_statuses_of_a_region_add_up_to_its_live_products(products: list[ProductState]) -> None:
    counts = Counts()
    for i, state in enumerate(products):
        counts.apply(f"p{i}", state)
    for shop in SHOPS:
        counted = {s.value: n for (sh, s), n in counts.by.items() if sh == shop}
        shown = product_counts("c1", "US", counts.live, counted)
        figures = [shown.synced, shown.not_synced, shown.sync_failed, shown.update_failed]
        assert sum(f.count for f in figures) == counts.live
        live = [p for p in products if not p.deleted]
        listed = Counter(p.regions.get(shop, ProductSyncStatus.NOT_SYNCED) for p in live)
        assert shown.not_synced.count == listed[ProductSyncStatus.NOT_SYNCED]
        assert shown.synced.count == listed[ProductSyncStatus.SYNCED]


def test_each_count_links_to_the_filtered_products_list() -> None:
    shown = product_counts("c1", "GB", 3, {"synced": 1})
    assert (shown.synced.count, shown.not_synced.count) == (1, 2)
    assert shown.sync_failed.link == "/api/v1/catalog/c1/products?region=GB&status=sync_failed"
