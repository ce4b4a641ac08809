"""TikTok reviews waiting for their product's link (a review can overtake the push's commit)."""

import json

from connector_runtime.db import Connection

from catalog_sync.store.models import _json


async def lock_tiktok_product(db: Connection, tiktok_product_id: str) -> None:
    """Serialise linking a TikTok product and applying its reviews (transaction-scoped)."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtext($1))", f"tiktok-product:{tiktok_product_id}"
    )


async def save_pending_review(
    db: Connection, tiktok_product_id: str, approved: bool, reasons: list[str]
) -> None:
    """Keep the newest review of a product not linked yet (a day at most: then it is not ours)."""
    await db.execute("DELETE FROM pending_reviews WHERE received_at < now() - interval '1 day'")
    await db.execute(
        "INSERT INTO pending_reviews (tiktok_product_id, approved, reasons) VALUES ($1,$2,$3)"
        " ON CONFLICT (tiktok_product_id) DO UPDATE SET approved=$2, reasons=$3, received_at=now()",
        tiktok_product_id,
        approved,
        json.dumps(reasons),
    )


async def pop_pending_review(
    db: Connection, tiktok_product_id: str
) -> tuple[bool, list[str]] | None:
    """The waiting review of a product just linked, removed."""
    row = await db.fetchrow(
        "DELETE FROM pending_reviews WHERE tiktok_product_id=$1 RETURNING approved, reasons",
        tiktok_product_id,
    )
    return (bool(row["approved"]), list(_json(row["reasons"]))) if row else None
