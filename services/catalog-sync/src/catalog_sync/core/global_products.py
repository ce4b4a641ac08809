"""EU Global Products: the global listing body, publish targets, and who may publish where.

In each region a product is listed once, either locally (a push to that region's shop) or
from Global Products (a global product published to the region), never both (guide: Global
Products); it may be local in one region and global in the others.
"""

from collections.abc import Collection
from enum import StrEnum
from typing import Any

from pydantic import Field
from tiktok_shop.models.common import TikTokModel
from tiktok_shop.models.products import ProductInput

from catalog_sync.core.models import Frozen, Issue, SourceProduct
from catalog_sync.core.region import EU_REGIONS, currency_of

GLOBAL_PREFIX = "global:"  # global category mappings live beside local ones under this prefix


class GlobalStatus(StrEnum):
    """A product's state on the Global Products list."""

    NOT_SYNCED = "global_not_synced"
    SYNCED = "global_synced"
    SYNC_FAILED = "global_sync_failed"
    UPDATE_FAILED = "global_update_failed"


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


def publish_target(
    region: str,
    product: SourceProduct,
    global_skus: dict[str, str],
    location_id: str | None,
) -> TikTokModel:
    """One region's publish target: each global SKU with its price and the region's stock."""
    skus = [
        {
            "related_global_sku_id": global_skus[v.shopify_variant_id],
            "price": {"amount": str(v.price), "currency": currency_of(region)},
            "inventory": {
                "quantity": max(
                    0,
                    min(
                        v.stock_by_location.get(location_id, 0) if location_id else v.stock, 99_999
                    ),
                )
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
