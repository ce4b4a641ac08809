"""Qualification Center: responsible persons and manufacturers, linked to products (EU GPSR)."""

from enum import StrEnum
from typing import Any

from pydantic import Field

from catalog_sync.core.models import Frozen, ListingLayer


class ComplianceKind(StrEnum):
    """The two kinds of compliance entity."""

    RESPONSIBLE_PERSON = "responsible_persons"
    MANUFACTURER = "manufacturers"


class Phone(Frozen):
    """A phone number as TikTok takes it."""

    country_code: str = Field(pattern=r"^\+\d{1,4}$", examples=["+353"])
    local_number: str = Field(pattern=r"^\d{7,20}$")


class ComplianceDetails(Frozen):
    """What the merchant fills in (manufacturers also have a registered trade name)."""

    name: str = Field(min_length=1, max_length=255)
    registered_trade_name: str | None = Field(default=None, max_length=200)
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone_number: Phone
    address: str = Field(min_length=1, max_length=500)
    postal_code: str | None = Field(
        default=None, max_length=500, description="Required for responsible persons."
    )
    country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166 country of the address (an EU country); required for responsible persons.",
    )
    locale: str = "en-IE"


def details_issues(kind: ComplianceKind, details: ComplianceDetails) -> list[str]:
    """What TikTok needs that the details lack (a responsible person's address is structured)."""
    if kind is ComplianceKind.MANUFACTURER:
        return []
    missing = [f for f in ("postal_code", "country") if not getattr(details, f)]
    return [f"A responsible person needs a {f.replace('_', ' ')} in the address." for f in missing]


def to_tiktok(kind: ComplianceKind, details: ComplianceDetails) -> dict[str, Any]:
    """The Create / Partial Edit body: a manufacturer's address is text, a person's an object."""
    body = details.model_dump(exclude_none=True, exclude={"postal_code", "country"})
    if kind is ComplianceKind.RESPONSIBLE_PERSON:
        body.pop("registered_trade_name", None)
        body["address"] = {
            "street_address_line1": details.address,
            "postal_code": details.postal_code,
            "country": details.country,
        }
    return body


def _ids(listing: ListingLayer, kind: ComplianceKind) -> list[str]:
    value = (
        listing.responsible_person_ids
        if kind is ComplianceKind.RESPONSIBLE_PERSON
        else listing.manufacturer_ids
    )
    return list(value or [])


def ids_field(kind: ComplianceKind) -> str:
    """The listing field that holds the entities of a kind."""
    return (
        "responsible_person_ids"
        if kind is ComplianceKind.RESPONSIBLE_PERSON
        else "manufacturer_ids"
    )


def _with_ids(listing: ListingLayer, kind: ComplianceKind, ids: list[str]) -> ListingLayer:
    # An empty list is "none at this level": it overrides the category and store (guide: the
    # product-level "x"); None would inherit them again.
    return listing.model_copy(update={ids_field(kind): ids})


def link(listing: ListingLayer, kind: ComplianceKind, entity_id: str) -> ListingLayer:
    """Add an entity to a product's listing data (a product may have several)."""
    ids = _ids(listing, kind)
    return listing if entity_id in ids else _with_ids(listing, kind, [*ids, entity_id])


def unlink(listing: ListingLayer, kind: ComplianceKind, entity_id: str) -> ListingLayer:
    """Remove an entity from a product's listing data; the last one removed leaves "none"."""
    if not linked(listing, kind, entity_id):
        return listing  # a product that inherits keeps inheriting
    return _with_ids(listing, kind, [i for i in _ids(listing, kind) if i != entity_id])


def linked(listing: ListingLayer, kind: ComplianceKind, entity_id: str) -> bool:
    """Whether the listing data names the entity."""
    return entity_id in _ids(listing, kind)
