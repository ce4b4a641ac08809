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
)
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
