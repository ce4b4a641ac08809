"""Pre-check before a push: everything that would stop the listing, in the merchant's words."""

from collections import Counter

from catalog_sync.core.categories import CategoryMapping
from catalog_sync.core.mapping import pick_title
from catalog_sync.core.models import (
    CategoryRequirements,
    ConnectorEdits,
    Issue,
    ResolvedListing,
    SourceProduct,
)
from catalog_sync.core.region import sku_limit, title_limits
from catalog_sync.core.sync_rules import Source, SyncField
from catalog_sync.core.videos import video_issues

MAX_SELLER_SKU = 50


def category_issues(
    product: SourceProduct, key: str | None, mapping: CategoryMapping | None
) -> list[Issue]:
    """The product needs a Shopify category that maps to a TikTok leaf."""
    if key is None:
        return [
            Issue(
                code="missing_category",
                message=(
                    "This product has no product type (category) in Shopify. Set one in Shopify and "
                    "pull the product again, then map it to a TikTok Shop category."
                ),
            )
        ]
    if mapping is None or not mapping.tiktok_category_id:
        note = f" ({mapping.note})" if mapping and mapping.note else ""
        return [
            Issue(
                code="unmapped_category",
                message=(
                    f"The Shopify category '{key}' is not mapped to a TikTok Shop category{note}. "
                    "Choose a TikTok Shop category for it on the Categories page."
                ),
            )
        ]
    return []


def title_issues(
    product: SourceProduct, edits: ConnectorEdits, rules: dict[SyncField, Source], region: str
) -> list[Issue]:
    """The title TikTok would get must fit the market's length limits."""
    title = pick_title(product, edits, rules[SyncField.TITLE], None)
    low, high = title_limits(region)
    if low <= len(title.strip()) <= high:
        return []
    return [
        Issue(
            code="title_length",
            message=(
                f"The title has {len(title)} characters; TikTok Shop ({region}) accepts {low}-{high}. "
                "Shorten it in Shopify and pull again, or edit the title in the connector and set "
                "the title sync rule to 'Connector'."
            ),
        )
    ]


def variant_issues(product: SourceProduct, region: str) -> list[Issue]:
    """SKUs: count, seller SKU format and uniqueness within the product, prices."""
    skus = [(v.sku or "").strip() for v in product.variants]
    return [
        *_variant_count_issues(product, region),
        *_sku_issues(skus),
        *_price_issues(product),
        *_option_issues(product),
    ]


def _variant_count_issues(product: SourceProduct, region: str) -> list[Issue]:
    issues: list[Issue] = []
    if not product.variants:
        issues.append(Issue(code="no_variants", message="The product has no variants in Shopify."))
    if len(product.variants) > sku_limit(region):
        issues.append(
            Issue(
                code="too_many_variants",
                message=(
                    f"The product has {len(product.variants)} variants; TikTok Shop ({region}) accepts "
                    f"at most {sku_limit(region)}."
                ),
            )
        )
    return issues


def _sku_issues(skus: list[str]) -> list[Issue]:
    issues = [
        Issue(
            code="duplicate_sku",
            message=(
                f"{count} variants share the SKU '{sku}'. Give each variant its own SKU in "
                "Shopify and pull again."
            ),
        )
        for sku, count in sorted(Counter(s for s in skus if s).items())
        if count > 1
    ]
    issues += [
        Issue(
            code="invalid_sku",
            message=(f"The SKU '{sku}' must be 1-{MAX_SELLER_SKU} characters without spaces."),
        )
        for sku in sorted({s for s in skus if s})
        if len(sku) > MAX_SELLER_SKU or any(c.isspace() for c in sku)
    ]
    return issues


def _price_issues(product: SourceProduct) -> list[Issue]:
    return [
        Issue(
            code="invalid_price",
            message=(
                f"Variant '{v.title}' has price {v.price}; TikTok Shop needs a price above 0."
            ),
        )
        for v in product.variants
        if v.price <= 0
    ]


def _option_issues(product: SourceProduct) -> list[Issue]:
    if len(product.variants) > 1 and any(len(v.options) > 3 for v in product.variants):
        return [
            Issue(
                code="too_many_options",
                message=(
                    "TikTok Shop accepts at most 3 variant options (e.g. Size, Color, Material)."
                ),
            )
        ]
    return []


def listing_issues(listing: ResolvedListing, requirements: CategoryRequirements) -> list[Issue]:
    """Required attributes, certifications, dimensions, compliance for the category."""
    return [
        *_required_field_issues(listing, requirements),
        *_package_issues(listing, requirements),
        *_compliance_issues(listing, requirements),
    ]


def _required_field_issues(
    listing: ResolvedListing, requirements: CategoryRequirements
) -> list[Issue]:
    issues = [
        Issue(
            code="missing_attribute",
            message=(
                f"Fill in the required attribute '{a.name}' (Fill in attributes, for the product "
                "or its whole category)."
            ),
        )
        for a in requirements.attributes
        if a.required and not a.sales and a.id not in listing.attributes
    ]
    issues += [
        Issue(
            code="missing_certification",
            message=(
                f"Upload the '{c.name}' certification (Show certifications) that this TikTok "
                "Shop category requires."
            ),
        )
        for c in requirements.certifications
        if c.required and c.id not in listing.certifications
    ]
    return issues


def _package_issues(listing: ResolvedListing, requirements: CategoryRequirements) -> list[Issue]:
    issues: list[Issue] = []
    p = listing.package
    if requirements.package_dimensions_required and not (p.length and p.width and p.height):
        issues.append(
            Issue(
                code="missing_dimensions",
                message=(
                    "This TikTok Shop category needs package dimensions: set length, width and height "
                    "(whole numbers) in Product Settings, the category or the product."
                ),
            )
        )
    if requirements.size_chart_required and not (
        listing.size_chart_uri or listing.size_chart_template_id
    ):
        issues.append(
            Issue(
                code="missing_size_chart",
                message=(
                    "This TikTok Shop category needs a size chart: upload a size chart image or "
                    "choose one of your TikTok size chart templates, for the product or its category."
                ),
            )
        )
    return issues


def _compliance_issues(listing: ResolvedListing, requirements: CategoryRequirements) -> list[Issue]:
    issues: list[Issue] = []
    if requirements.responsible_person_required and not listing.responsible_person_ids:
        issues.append(
            Issue(
                code="missing_responsible_person",
                message=("Link a responsible person (Qualification Center or Fill in compliance)."),
            )
        )
    if requirements.manufacturer_required and not listing.manufacturer_ids:
        issues.append(
            Issue(
                code="missing_manufacturer",
                message=("Link a manufacturer (Qualification Center or Fill in compliance)."),
            )
        )
    return issues


def precheck(
    product: SourceProduct,
    *,
    key: str | None,
    mapping: CategoryMapping | None,
    requirements: CategoryRequirements | None,
    listing: ResolvedListing,
    edits: ConnectorEdits,
    rules: dict[SyncField, Source],
    region: str,
) -> list[Issue]:
    """Every issue found locally (TikTok's own listing check adds the rest)."""
    issues = category_issues(product, key, mapping)
    issues += title_issues(product, edits, rules, region)
    if not product.image_urls and rules[SyncField.MEDIA] is Source.ORIGIN:
        issues.append(
            Issue(
                code="missing_images",
                message=(
                    "The product has no images in Shopify; TikTok Shop needs at least one. Add an "
                    "image in Shopify and pull again."
                ),
            )
        )
    if product.video and rules[SyncField.VIDEO] is Source.ORIGIN:
        issues += video_issues(product.video)
    issues += variant_issues(product, region)
    if not listing.package.weight:
        issues.append(
            Issue(
                code="missing_weight",
                message=("Set the default package weight (a whole number) in Product Settings."),
            )
        )
    if requirements is not None:
        issues += listing_issues(listing, requirements)
    return issues


def summary(issues: list[Issue]) -> str:
    """All issues in one readable reason."""
    return " ".join(i.message for i in issues)
