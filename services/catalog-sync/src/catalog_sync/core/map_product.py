"""Map product: link a manually listed TikTok product's SKUs to Shopify variants."""

from connector_contracts import SkuLink

from catalog_sync.core.models import Frozen, Issue, SourceProduct


class TikTokSku(Frozen):
    """A SKU of the TikTok product being mapped."""

    id: str
    seller_sku: str = ""


def match_skus(
    product: SourceProduct, skus: list[TikTokSku], chosen: dict[str, str]
) -> tuple[list[SkuLink], list[Issue]]:
    """Links by hand-picked pairs (TikTok SKU id -> variant id) first, then by equal SKU codes.

    Every TikTok SKU must end up linked to a distinct variant of this product.
    """
    variants = {v.shopify_variant_id: v for v in product.variants}
    by_sku = {v.sku.strip(): v for v in product.variants if v.sku and v.sku.strip()}
    links: list[SkuLink] = []
    issues: list[Issue] = []
    used: set[str] = set()
    for sku in skus:
        variant = variants.get(chosen.get(sku.id, "")) or by_sku.get(sku.seller_sku.strip())
        if variant is None or variant.shopify_variant_id in used:
            issues.append(
                Issue(
                    code="unmatched_sku",
                    message=(
                        f"TikTok SKU {sku.id} (seller SKU '{sku.seller_sku}') matches no unlinked "
                        "variant of this Shopify product: choose the variant by hand."
                    ),
                )
            )
            continue
        used.add(variant.shopify_variant_id)
        links.append(
            SkuLink(
                shopify_variant_id=variant.shopify_variant_id,
                shopify_inventory_item_id=variant.inventory_item_id,
                tiktok_sku_id=sku.id,
                seller_sku=variant.sku,
                price=variant.price,
            )
        )
    return links, issues
