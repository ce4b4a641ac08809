"""Link existing TikTok listings by SKU: every TikTok product whose seller SKUs all match the
variants of exactly one Shopify product not linked yet is linked to it; the others are listed
with the reason (guide: "Map Products", done for the whole shop at once)."""

from connector_contracts import SkuLink

from catalog_sync.core.map_product import TikTokSku, match_skus
from catalog_sync.core.models import Frozen, SourceProduct


class TikTokListing(Frozen):
    """A TikTok product as Search Products lists it."""

    id: str
    title: str = ""
    skus: list[TikTokSku]


class Link(Frozen):
    """A TikTok product matched to a Shopify product, SKU by SKU."""

    tiktok_product_id: str
    shopify_product_id: str
    links: list[SkuLink]


class NotLinked(Frozen):
    """A TikTok product left for the manual map, and why."""

    tiktok_product_id: str
    title: str = ""
    reason: str


def _owners(products: list[SourceProduct]) -> dict[str, set[str]]:
    """Seller SKU -> the Shopify products with a variant of that SKU."""
    owners: dict[str, set[str]] = {}
    for product in products:
        for variant in product.variants:
            if variant.sku and variant.sku.strip():
                owners.setdefault(variant.sku.strip(), set()).add(product.shopify_product_id)
    return owners


def _candidate(listing: TikTokListing, owners: dict[str, set[str]]) -> set[str] | str:
    """The Shopify products the listing's SKUs point at, or why none can be chosen."""
    codes = [s.seller_sku.strip() for s in listing.skus]
    if not codes or not all(codes):
        return "a TikTok SKU has no seller SKU"
    found = [owners.get(code, set()) for code in codes]
    missing = [code for code, ids in zip(codes, found, strict=True) if not ids]
    if missing:
        return f"no Shopify variant has seller SKU {', '.join(missing)}"
    return set().union(*found)


def _match(
    listing: TikTokListing,
    owners: dict[str, set[str]],
    by_id: dict[str, SourceProduct],
    taken: set[str],
) -> Link | str:
    """The link of one listing, or why it cannot be made."""
    candidate = _candidate(listing, owners)
    if isinstance(candidate, str):
        return candidate
    if len(candidate) > 1:
        return f"its seller SKUs match several Shopify products ({', '.join(sorted(candidate))})"
    (pid,) = candidate
    if pid in taken:
        return f"{pid} is linked to another TikTok product already"
    sku_links, issues = match_skus(by_id[pid], listing.skus, {})
    if issues:
        return " ".join(i.message for i in issues)
    return Link(tiktok_product_id=listing.id, shopify_product_id=pid, links=sku_links)


def plan_links(
    listings: list[TikTokListing], products: list[SourceProduct], linked_products: set[str]
) -> tuple[list[Link], list[NotLinked]]:
    """Links to make and listings left; `linked_products`: Shopify products already linked."""
    by_id = {p.shopify_product_id: p for p in products}
    owners = _owners(products)
    taken = set(linked_products)
    links: list[Link] = []
    left: list[NotLinked] = []
    for listing in sorted(listings, key=lambda x: x.id):
        match = _match(listing, owners, by_id, taken)
        if isinstance(match, str):
            left.append(NotLinked(tiktok_product_id=listing.id, title=listing.title, reason=match))
            continue
        taken.add(match.shopify_product_id)
        links.append(match)
    return links, left
