"""Sync rules: allowed choices per field and mode, and product > store > default resolution."""

import pytest
from catalog_sync.core.sync_rules import (
    ALLOWED,
    DEFAULTS,
    Mode,
    Source,
    SyncField,
    SyncRules,
    resolve_rules,
    synced_by_others,
)
from catalog_sync.pushed_events import RegionShop
from connector_contracts import SkuLink
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError


def allowed_rules(mode: Mode) -> st.SearchStrategy[dict[SyncField, Source]]:
    """Any partial set of allowed choices for one mode."""
    return st.dictionaries(st.sampled_from(list(SyncField)), st.sampled_from(list(Source))).map(
        lambda d: {f: s for f, s in d.items() if s in ALLOWED[mode][f]}
    )


def test_defaults_are_allowed_choices() -> None:
    for mode in Mode:
        for field in SyncField:
            assert DEFAULTS[mode][field] in ALLOWED[mode][field]


def test_status_is_not_synced_on_create_and_kept_on_update_by_default() -> None:
    assert resolve_rules(SyncRules(), None, Mode.CREATE)[SyncField.STATUS] is Source.DONT_SYNC
    assert resolve_rules(SyncRules(), None, Mode.UPDATE)[SyncField.STATUS] is Source.TIKTOK


@pytest.mark.parametrize(
    ("mode", "field", "source"),
    [
        (Mode.CREATE, SyncField.TITLE, Source.TIKTOK),  # nothing on TikTok to keep yet
        (Mode.CREATE, SyncField.PRICE, Source.DONT_SYNC),
        (Mode.UPDATE, SyncField.BRAND, Source.ORIGIN),  # Shopify has no TikTok brand
        (Mode.CREATE, SyncField.STATUS, Source.ORIGIN),
    ],
)
def test_choices_the_guide_does_not_offer_are_rejected(
    mode: Mode, field: SyncField, source: Source
) -> None:
    with pytest.raises(ValidationError, match=field.value):
        SyncRules.model_validate({mode.value: {field.value: source.value}})


@given(store=allowed_rules(Mode.UPDATE), product=allowed_rules(Mode.UPDATE))
def test_product_override_beats_store_rule_beats_default(
    store: dict[SyncField, Source], product: dict[SyncField, Source]
) -> None:
    resolved = resolve_rules(SyncRules(update=store), SyncRules(update=product), Mode.UPDATE)
    for field in SyncField:
        expected = product.get(field) or store.get(field) or DEFAULTS[Mode.UPDATE][field]
        assert resolved[field] is expected
        assert resolved[field] in ALLOWED[Mode.UPDATE][field]


def test_create_rules_do_not_leak_into_updates() -> None:
    store = SyncRules(create={SyncField.TITLE: Source.CONNECTOR})
    assert resolve_rules(store, None, Mode.UPDATE)[SyncField.TITLE] is Source.ORIGIN
    assert resolve_rules(store, None, Mode.CREATE)[SyncField.TITLE] is Source.CONNECTOR


def test_stock_and_price_rules_for_the_services_that_apply_them_product_beats_store() -> None:
    store = SyncRules(update={SyncField.PRICE: Source.TIKTOK})
    assert synced_by_others(SyncRules(), None) == (True, True)
    assert synced_by_others(store, None) == (True, False)
    product = SyncRules(update={SyncField.PRICE: Source.ORIGIN, SyncField.STOCK: Source.TIKTOK})
    assert synced_by_others(store, product) == (False, True)
    # Create-mode rules say nothing about later updates.
    assert synced_by_others(SyncRules(create={SyncField.STOCK: Source.DONT_SYNC}), None) == (
        True,
        True,
    )


@given(
    store=allowed_rules(Mode.UPDATE),
    product=st.none() | allowed_rules(Mode.UPDATE),
    created=st.booleans(),
)
def test_every_product_pushed_carries_the_products_stock_and_price_rules(
    store: dict[SyncField, Source], product: dict[SyncField, Source] | None, created: bool
) -> None:
    """However the product came to be on TikTok (push, link by SKU, Map Product, Global
    publish: all build `product.pushed` here), it tells inventory-guard and price-promotions the
    rules resolved for it (ADR 0533), with the region and its warehouse."""
    region = RegionShop("7495", "GB", SyncRules(update=store), "WH-GB")
    link = SkuLink(shopify_variant_id="gid://shopify/ProductVariant/1", tiktok_sku_id="1729")
    own = SyncRules(update=product) if product is not None else None
    pushed = region.pushed(
        "gid://shopify/Product/1", "1730", "ACTIVATE", [link], own, created=created
    )
    own_rules = product or {}
    stock, price = (
        own_rules.get(f) or store.get(f) or DEFAULTS[Mode.UPDATE][f]
        for f in (SyncField.STOCK, SyncField.PRICE)
    )
    assert (pushed.sync_stock, pushed.sync_price) == (
        stock is Source.ORIGIN,
        price is Source.ORIGIN,
    )
    assert (pushed.tiktok_shop_id, pushed.region, pushed.warehouse_id) == ("7495", "GB", "WH-GB")
    assert (pushed.skus, pushed.created, pushed.tiktok_status) == ([link], created, "ACTIVATE")
