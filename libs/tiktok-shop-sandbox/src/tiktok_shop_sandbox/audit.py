"""Asynchronous product audit: PENDING -> ACTIVATE / FAILED, with webhooks 5 and 37 (A7, A8).

A live product that is edited stays live while TikTok reviews the edited version (Get Product's
`return_under_review_version`: "if a live product (ACTIVATE status) is edited and resent for
TikTok Shop review"): only its audit status goes back to AUDITING.
"""

from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import Product
from tiktok_shop_sandbox.world import now

LIVE = frozenset({"ACTIVATE", "SELLER_DEACTIVATED"})  # listed: an edit's review keeps it so


def schedule_audit(sandbox: Sandbox, product: Product) -> None:
    """Put the product under review; decide after the configured delay."""
    if product.status not in LIVE:
        product.status = "PENDING"
    product.audit_status = "AUDITING"
    product.audit_generation += 1
    generation = product.audit_generation

    def decide() -> None:
        # A later edit restarts the review; only the newest one may finish.
        if product.audit_generation != generation or product.audit_status != "AUDITING":
            return
        if product.shop_id in sandbox.world.audit_held_shops:
            return  # held: the control plane decides (POST /_sandbox/products/{id}/audit)
        reasons = audit_failures(sandbox, product)
        finish_audit(sandbox, product, not reasons, reasons)

    sandbox.later(sandbox.settings.audit_delay_seconds, decide)


def audit_failures(sandbox: Sandbox, product: Product) -> list[str]:
    """Why the reviewer would reject this product (empty when it passes)."""
    title = str(product.body.get("title", "")).lower()
    return [
        f"The product title contains a prohibited word: '{word}'."
        for word in sandbox.settings.audit_fail_words
        if word.lower() in title
    ]


def finish_audit(sandbox: Sandbox, product: Product, approved: bool, reasons: list[str]) -> None:
    """Record the audit outcome and notify (types 5 and 37)."""
    if not approved:
        product.status = "FAILED"
    elif product.status not in LIVE:
        product.status = "ACTIVATE"
    product.audit_status = "APPROVED" if approved else "FAILED"
    product.fail_reasons = [] if approved else list(reasons)
    product.update_time = now()
    shop = sandbox.world.shops[product.shop_id]
    # Webhook 5 carries product_id as a JSON number in the official example (reference A5).
    sandbox.notify(
        shop,
        5,
        {
            "product_id": int(product.id),
            "status": "PRODUCT_FIRST_PASS_REVIEW" if approved else "PRODUCT_AUDIT_FAILURE",
            "suspended_reason": "; ".join(reasons),
            "update_time": product.update_time,
        },
    )
    sandbox.notify(
        shop,
        37,
        {
            "product_id": int(product.id),
            "audit": {"status": product.audit_status, "pre_approved_reasons": []},
            "update_time": product.update_time,
        },
    )
