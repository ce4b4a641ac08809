"""Why a product's stock is not on TikTok, in words a merchant can act on."""

# TikTok codes of Update Inventory / Activate / Deactivate (reference A6, A7).
_REASONS: dict[int, str] = {
    12052901: "The TikTok product is not active, so TikTok does not take its stock now;"
    " it is sent again once the product is live.",
    12052097: "The TikTok warehouse of this product does not exist any more: check the shop's"
    " warehouses in TikTok Seller Center and push the product again.",
    12019028: "This SKU is stocked in several TikTok warehouses; the guard re-reads them and"
    " retries.",
    12052036: "A SKU of this product is no longer on TikTok: push the product again.",
    12052055: "TikTok refused the quantity (outside its allowed range).",
    36009002: "TikTok is rate-limiting stock updates; the guard retries shortly.",
}


def reason_for(code: int | None, message: str) -> str:
    """The merchant-readable reason of a TikTok refusal (the platform's words if unknown)."""
    if code is not None and code in _REASONS:
        return _REASONS[code]
    return f"TikTok refused the stock update: {message}"[:1000]


def not_live(status: str) -> str:
    """A product TikTok has not made live yet (under review, failed review, ...)."""
    return f"The TikTok product is {status}: its stock is sent once TikTok has made it live."


def shopify_unreadable(message: str) -> str:
    """Shopify's stock of a SKU the guard had no figure of could not be read: nothing is sent
    for the product until it is (a guessed 0 would take it off sale)."""
    return (
        "Shopify's stock of this product could not be read, so none is sent to TikTok yet;"
        f" the guard retries shortly. Shopify said: {message}"
    )[:1000]
