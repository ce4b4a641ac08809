"""Asynchronous product audit: PENDING -> ACTIVATE / FAILED, with webhooks 5 and 37 (A7, A8)."""

from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import Product
from tiktok_shop_sandbox.world import now


def schedule_audit(sandbox: Sandbox, product: Product) -> None:
    """Put the product under review; decide after the configured delay."""
    product.status, product.audit_status = "PENDING", "AUDITING"
    product.audit_generation += 1
    generation = product.audit_generation

    def decide() -> None:
        # A later edit restarts the review; only the newest one may finish.
        if product.audit_generation != generation or product.status != "PENDING":
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
    product.status = "ACTIVATE" if approved else "FAILED"
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
