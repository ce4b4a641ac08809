"""EU Global Products: the global listing body, publish targets, and who may publish where.

In each region a product is listed once, either locally (a push to that region's shop) or
from Global Products (a global product published to the region), never both (guide: Global
Products); it may be local in one region and global in the others.
"""

from collections.abc import Collection, Sequence
from enum import StrEnum
from typing import Any

from pydantic import Field
from tiktok_shop.models.common import TikTokModel
from tiktok_shop.models.products import ProductInput

from catalog_sync.core.models import Frozen, Issue, SourceProduct, SourceVariant
from catalog_sync.core.region import EU_REGIONS, currency_of

GLOBAL_PREFIX = "global:"  # global category mappings live beside local ones under this prefix


class GlobalStatus(StrEnum):
    """A product's state on the Global Products list."""

    NOT_SYNCED = "global_not_synced"
    SYNCED = "global_synced"
    SYNC_FAILED = "global_sync_failed"
    UPDATE_FAILED = "global_update_failed"


PUBLISHED_FAILED = "global_published_failed"  # a list filter: synced, refused by some region

# Guide, "Global Product Fields Editing Guide": product-level listing fields a local listing
# published from Global Products cannot change (only the global product can); title,
# description, product attributes, certifications and price stay editable.
LOCKED_LOCAL_FIELDS = {
    "brand_id": "Brand",
    "size_chart_uri": "Size Chart",
    "size_chart_template_id": "Size Chart",
    "package": "Length, Width, Height and Package Weight",
}


class RegionPublication(Frozen):
    """The outcome of publishing to one region."""

    status: str = Field(description="published or failed")
    product_id: str | None = None
    reason: str | None = None
    tiktok_status: str | None = Field(
        default=None,
        description="The region product's status as Get Product said it after publishing; "
        "SELLER_DEACTIVATED once the connector deactivated it (deleted in Shopify).",
    )


def to_global_product(local: ProductInput) -> TikTokModel:
    """A Create Global Product body from the local body: no stock, no local-only fields."""
    body: dict[str, Any] = local.to_body()
    for field in ("category_version", "idempotency_key", "save_mode", "external_product_id"):
        body.pop(field, None)
    body["external_global_product_id"] = local.external_product_id
    for sku in body.get("skus", []):
        sku.pop("inventory", None)
        sku.pop("id", None)
        if "external_sku_id" in sku:
            sku["external_global_sku_id"] = sku.pop("external_sku_id")
    return TikTokModel.model_validate(body)


def _stock_at(variant: SourceVariant, location_ids: Sequence[str]) -> int:
    if not location_ids:
        return variant.stock
    return sum(variant.stock_by_location.get(i, 0) for i in location_ids)


def publish_target(
    region: str,
    product: SourceProduct,
    global_skus: dict[str, str],
    location_ids: Sequence[str],
) -> TikTokModel:
    """One region's publish target: each global SKU with its price and the region's stock (at
    its inventory locations, summed; none chosen: every location)."""
    skus = [
        {
            "related_global_sku_id": global_skus[v.shopify_variant_id],
            "price": {"amount": str(v.price), "currency": currency_of(region)},
            "inventory": {
                "quantity": max(0, min(_stock_at(v, location_ids), 99_999)),
            },
        }
        for v in product.variants
        if v.shopify_variant_id in global_skus
    ]
    return TikTokModel.model_validate({"region": region, "skus": skus})


def published_locally(local_region: str) -> Issue:
    """A product listed locally in a region cannot be published there from Global Products."""
    return Issue(
        code="published_locally",
        message=(
            f"This product is already listed in {local_region} from that region's Products page;"
            " in each region a product is published once, either locally or from Global Products."
            f" Publish it to the other regions, or delete the local listing in {local_region}."
        ),
    )


def published_globally(region: str) -> Issue:
    """A product published to a region from Global Products cannot be pushed there locally."""
    return Issue(
        code="published_globally",
        message=(
            f"This product is published to {region} from Global Products; in each region a"
            " product is published once, either locally or globally. Update it from the Global"
            " Products page."
        ),
    )


def publish_issues(
    *,
    global_product_id: str | None,
    local_regions: Collection[str],
    published: dict[str, RegionPublication],
    regions: list[str],
    consent: bool,
) -> list[Issue]:
    """Why a product cannot be published to these regions (empty: it can). `local_regions`:
    the markets it has a local listing in."""
    issues = []
    wanted = {r.upper() for r in regions}
    if listed := sorted({r.upper() for r in local_regions} & wanted):
        issues.append(published_locally(", ".join(listed)))
    if not global_product_id:
        issues.append(
            Issue(
                code="not_global_synced",
                message=("Sync the product as a Global Product before publishing it."),
            )
        )
    if not consent:
        issues.append(
            Issue(
                code="translation_consent",
                message=(
                    "Agree to have the product translated into each market's language to publish it."
                ),
            )
        )
    for region in regions:
        if region.upper() not in EU_REGIONS:
            issues.append(
                Issue(
                    code="unknown_region", message=f"{region} is not an EU Global Products market."
                )
            )
        elif published.get(region.upper(), RegionPublication(status="")).status == "published":
            issues.append(
                Issue(code="already_published", message=f"Already published to {region}.")
            )
    return issues


def region_statuses(published: dict[str, RegionPublication], regions: list[str]) -> dict[str, str]:
    """Per region: published, failed, or not_published."""
    return {r: published[r].status if r in published else "not_published" for r in regions}


def regional_products(
    published: dict[str, RegionPublication], on_tiktok: list[tuple[str, str]]
) -> dict[str, str]:
    """Region -> local product of a global product: what the connector published, and what
    TikTok reports (Get Global Product also knows publishes whose answer was lost)."""
    recorded = {
        region: p.product_id
        for region, p in published.items()
        if p.status == "published" and p.product_id
    }
    return recorded | {region.upper(): product_id for region, product_id in on_tiktok}


def published_to(published: dict[str, RegionPublication], region: str) -> bool:
    """The product is listed in `region` from Global Products (the local page's Global tag)."""
    return published.get(region.upper(), RegionPublication(status="")).status == "published"


def publish_failures(published: dict[str, RegionPublication]) -> dict[str, str]:
    """Region -> why publishing there failed (the Global Published Failed tab)."""
    return {
        region: p.reason or "TikTok Shop did not publish the product"
        for region, p in sorted(published.items())
        if p.status == "failed"
    }


def locked_local_edit(region: str, fields: Collection[str]) -> str | None:
    """Why a local edit of these listing fields is refused in a region the product is
    published to from Global Products (None: every field stays editable there)."""
    names = sorted({LOCKED_LOCAL_FIELDS[f] for f in fields if f in LOCKED_LOCAL_FIELDS})
    if not names:
        return None
    return (
        f"This product is published to {region.upper()} from Global Products: "
        f"{', '.join(names)} cannot be edited on its local listing; change "
        f"{'it' if len(names) == 1 else 'them'} on the global product and update it."
    )


def refused_publications(
    published: dict[str, RegionPublication], regions: list[str], reason: str
) -> dict[str, RegionPublication]:
    """A publish refused before TikTok was asked: failed in every requested region not
    already published (a published region keeps its product)."""
    return {
        r.upper(): RegionPublication(status="failed", reason=reason)
        for r in regions
        if not published_to(published, r)
    }
