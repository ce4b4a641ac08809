"""TikTok Shop errors -> reasons a merchant can act on (codes from the product specs)."""

from catalog_sync.core.models import Frozen

_HINTS: dict[int, str] = {
    12052208: "This TikTok Shop category requires a brand: choose one with 'Choose brand' "
    "(or create a custom brand) and push again.",
    12052201: "You are not authorized to sell this brand on TikTok Shop: apply in Seller "
    "Center's Qualification Center, or choose another brand.",
    12052026: "The chosen brand does not exist on TikTok Shop: choose another brand.",
    12052104: "A required attribute is missing: use 'Fill in attributes' and push again.",
    12052105: "A required certification is missing: upload it with 'Show certifications'.",
    12052116: "This category needs package dimensions: set them in Product Settings.",
    12052051: "The title is too long for TikTok Shop: shorten it in Shopify or edit it here.",
    12052028: "The product needs at least one image.",
    12052023: "The mapped TikTok category does not exist: map the category again.",
    12052024: "The mapped TikTok category is not a leaf: choose a more specific category.",
    12052217: "The category tree version does not match the shop's market.",
    12019059: "A variant SKU is invalid or already used by another TikTok Shop product: give "
    "each variant a unique SKU without spaces in Shopify, pull and push again.",
    12052550: "Every variant needs option values (e.g. Size, Color).",
    12052560: "Two variants have the same option values.",
    12052073: "A variant price is invalid: TikTok Shop needs a price above 0.",
    12052084: "The price currency does not match the TikTok shop's market.",
    12052055: "A stock quantity is outside TikTok Shop's limits (0-99,999).",
    12052097: "The TikTok Shop warehouse does not exist: check the warehouse settings.",
    12052050: "Too many variants for one TikTok Shop product.",
    12052181: "The package weight cannot be zero: set it in Product Settings.",
}


class Reason(Frozen):
    """A failure as the merchant sees it, and the platform's own words."""

    message: str
    platform_code: int | None = None
    platform_message: str | None = None


def platform_reason(code: int, message: str) -> Reason:
    """A TikTok business error with a hint on what to do."""
    hint = _HINTS.get(code)
    text = (
        f"{hint} (TikTok Shop: {message})"
        if hint
        else f"TikTok Shop rejected the product: {message}"
    )
    return Reason(message=text, platform_code=code, platform_message=message)


def audit_reason(reasons: list[str]) -> Reason:
    """A failed TikTok review."""
    detail = "; ".join(r for r in reasons if r) or "no reason given"
    return Reason(
        message=f"TikTok Shop's review rejected the product: {detail} Fix it and update the product."
    )


def unavailable_reason(detail: str) -> Reason:
    """TikTok did not answer after the client's retries."""
    return Reason(message=f"TikTok Shop did not respond ({detail}); push the product again.")


def media_reason(url: str, detail: str) -> Reason:
    """A Shopify image or video that could not be downloaded."""
    return Reason(
        message=f"The product media {url} could not be downloaded from Shopify ({detail}); "
        "fix or replace it in Shopify, then pull and push the product again."
    )


def deleted_reason(linked: bool, error: str | None) -> Reason:
    """A product deleted in Shopify: deactivated on TikTok Shop, or why not."""
    if not linked:
        return Reason(message="Deleted in Shopify; it was never listed on TikTok Shop.")
    if error is None:
        return Reason(message="Deleted in Shopify; deactivated on TikTok Shop.")
    return Reason(
        message=f"Deleted in Shopify, but TikTok Shop did not deactivate it ({error}); "
        "deactivate it in Seller Center."
    )


def deleted_under_review_reason() -> Reason:
    """A product deleted in Shopify while TikTok reviews it: TikTok cannot deactivate it yet."""
    return Reason(
        message="Deleted in Shopify while TikTok Shop reviews it; the connector deactivates it "
        "as soon as the review ends."
    )


def deleted_after_review_reason(approved: bool, error: str | None) -> Reason:
    """The review of a product deleted in Shopify ended: deactivated, not listed, or why not."""
    if not approved:
        return Reason(
            message="Deleted in Shopify; TikTok Shop's review rejected it, so it is not on sale."
        )
    return deleted_reason(linked=True, error=error)


def deleted_global_reason(outcome: dict[str, str | None]) -> Reason:
    """A Global Product deleted in Shopify: deactivated in each market it was published to."""
    if not outcome:
        return Reason(message="Deleted in Shopify; it was never published to a TikTok Shop market.")
    done = ", ".join(r for r, error in sorted(outcome.items()) if error is None)
    refused = "; ".join(f"{r}: {e}" for r, e in sorted(outcome.items()) if e is not None)
    if not refused:
        return Reason(message=f"Deleted in Shopify; deactivated on TikTok Shop in {done}.")
    head = (
        f"Deleted in Shopify; deactivated on TikTok Shop in {done}, but not in"
        if done
        else "Deleted in Shopify, but TikTok Shop did not deactivate it in"
    )
    return Reason(message=f"{head} {refused}; deactivate it there in Seller Center.")
