"""Sync rules: per field and per push mode (create / update), where TikTok takes its value from.

Allowed choices follow the guide's Product Settings table; product-level overrides beat the
store-wide rule field by field.
"""

from enum import StrEnum

from pydantic import Field, model_validator

from catalog_sync.core.models import Frozen


class SyncField(StrEnum):
    """Product fields the merchant can rule on."""

    TITLE = "title"
    DESCRIPTION = "description"
    PRICE = "price"
    MEDIA = "media"
    BARCODE = "barcode"
    STOCK = "stock"
    STATUS = "status"
    VIDEO = "video"
    BRAND = "brand"


class Source(StrEnum):
    """Where a field's value comes from."""

    ORIGIN = "origin"  # Shopify
    CONNECTOR = "connector"  # edited in the connector
    TIKTOK = "tiktok"  # leave TikTok's value as is (updates only)
    DONT_SYNC = "dont_sync"


class Mode(StrEnum):
    """A first push (create) or a later one (update)."""

    CREATE = "create"
    UPDATE = "update"


_O, _C, _T, _D = Source.ORIGIN, Source.CONNECTOR, Source.TIKTOK, Source.DONT_SYNC
ALLOWED: dict[Mode, dict[SyncField, frozenset[Source]]] = {
    Mode.CREATE: {
        SyncField.TITLE: frozenset({_O, _C}),
        SyncField.DESCRIPTION: frozenset({_O, _C}),
        SyncField.PRICE: frozenset({_O}),
        SyncField.MEDIA: frozenset({_O}),
        SyncField.BARCODE: frozenset({_O, _D}),
        SyncField.STOCK: frozenset({_O, _D}),
        SyncField.STATUS: frozenset({_D}),
        SyncField.VIDEO: frozenset({_O, _D}),
        SyncField.BRAND: frozenset({_C}),
    },
    Mode.UPDATE: {
        SyncField.TITLE: frozenset({_O, _C, _T}),
        SyncField.DESCRIPTION: frozenset({_O, _C, _T}),
        SyncField.PRICE: frozenset({_O, _T}),
        SyncField.MEDIA: frozenset({_O, _T}),
        SyncField.BARCODE: frozenset({_O, _T}),
        SyncField.STOCK: frozenset({_O, _T}),
        SyncField.STATUS: frozenset({_O, _T}),
        SyncField.VIDEO: frozenset({_O, _T}),
        SyncField.BRAND: frozenset({_C, _T}),
    },
}
DEFAULTS: dict[Mode, dict[SyncField, Source]] = {
    Mode.CREATE: {f: _O for f in SyncField} | {SyncField.STATUS: _D, SyncField.BRAND: _C},
    Mode.UPDATE: {f: _O for f in SyncField} | {SyncField.STATUS: _T, SyncField.BRAND: _C},
}


def allowed_error(mode: Mode, field: SyncField, source: Source) -> str | None:
    """Why a choice is not allowed (None when it is)."""
    allowed = ALLOWED[mode][field]
    if source in allowed:
        return None
    names = ", ".join(sorted(s.value for s in allowed))
    return f"{mode.value} rule for {field.value} cannot be '{source.value}' (choose {names})"


class SyncRules(Frozen):
    """Rules for both modes; a missing field means "use the level below"."""

    create: dict[SyncField, Source] = Field(default_factory=dict)
    update: dict[SyncField, Source] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _only_allowed(self) -> "SyncRules":
        for mode, rules in ((Mode.CREATE, self.create), (Mode.UPDATE, self.update)):
            for field, source in rules.items():
                if error := allowed_error(mode, field, source):
                    raise ValueError(error)
        return self

    def for_mode(self, mode: Mode) -> dict[SyncField, Source]:
        """The rules of one mode."""
        return self.create if mode is Mode.CREATE else self.update


def resolve_rules(
    store: SyncRules, product: SyncRules | None, mode: Mode
) -> dict[SyncField, Source]:
    """Every field's source for one push: product override > store rule > default."""
    override = product.for_mode(mode) if product else {}
    return DEFAULTS[mode] | store.for_mode(mode) | override


def synced_by_others(store: SyncRules, product: SyncRules | None) -> tuple[bool, bool]:
    """Whether inventory-guard keeps the product's TikTok stock and price-promotions its price
    (the "Product stock" / "Product price" update rules resolve to Origin). catalog-sync owns
    every rule; the services acting on these two learn them from `product.pushed`."""
    rules = resolve_rules(store, product, Mode.UPDATE)
    return rules[SyncField.STOCK] is Source.ORIGIN, rules[SyncField.PRICE] is Source.ORIGIN
