"""Shipments, returns and oversold alerts already applied (idempotency of after-sale effects)."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from connector_contracts import OversoldProduct
from connector_runtime.db import Connection


async def shipped_lines(conn: Connection, tiktok_order_id: str) -> set[str]:
    """TikTok line ids already shipped for an order."""
    rows = await conn.fetch(
        "SELECT unnest(line_ids) AS line FROM shipments WHERE tiktok_order_id = $1",
        tiktok_order_id,
    )
    return {r["line"] for r in rows}


@dataclass(frozen=True)
class Shipment:
    """A shipped fulfilment: its TikTok lines, the packages they went in, and the tracking."""

    fulfillment_id: str
    tiktok_order_id: str
    line_ids: tuple[str, ...]
    package_ids: tuple[str, ...]
    tracking_number: str
    provider_id: str


async def shipment(conn: Connection, tiktok_order_id: str, fulfillment_id: str) -> Shipment | None:
    """The shipment of a shipped fulfilment (None: not shipped)."""
    row = await conn.fetchrow(
        "SELECT line_ids, package_ids, tracking_number, provider_id FROM shipments"
        " WHERE tiktok_order_id = $1 AND fulfillment_id = $2",
        tiktok_order_id,
        fulfillment_id,
    )
    if row is None:
        return None
    return Shipment(
        fulfillment_id,
        tiktok_order_id,
        tuple(row["line_ids"]),
        tuple(row["package_ids"]),
        row["tracking_number"],
        row["provider_id"],
    )


async def update_shipment_tracking(
    conn: Connection,
    tiktok_order_id: str,
    fulfillment_id: str,
    tracking_number: str,
    provider_id: str,
) -> None:
    """Remember the tracking now on TikTok for a shipped fulfilment."""
    await conn.execute(
        "UPDATE shipments SET tracking_number = $3, provider_id = $4"
        " WHERE tiktok_order_id = $1 AND fulfillment_id = $2",
        tiktok_order_id,
        fulfillment_id,
        tracking_number,
        provider_id,
    )


async def record_shipment(conn: Connection, shipped: Shipment) -> None:
    """Remember a shipped fulfilment."""
    await conn.execute(
        "INSERT INTO shipments (fulfillment_id, tiktok_order_id, line_ids, package_ids,"
        " tracking_number, provider_id) VALUES ($1, $2, $3, $4, $5, $6)"
        " ON CONFLICT DO NOTHING",
        shipped.fulfillment_id,
        shipped.tiktok_order_id,
        list(shipped.line_ids),
        list(shipped.package_ids),
        shipped.tracking_number,
        shipped.provider_id,
    )


async def claim_return(
    conn: Connection, return_id: str, tiktok_order_id: str, restocked: bool
) -> bool:
    """Record a return as applied; False when it already was."""
    inserted = await conn.fetchval(
        "INSERT INTO returns_applied (return_id, tiktok_order_id, restocked) VALUES ($1, $2, $3)"
        " ON CONFLICT DO NOTHING RETURNING true",
        return_id,
        tiktok_order_id,
        restocked,
    )
    return bool(inserted)


async def raise_oversold(
    conn: Connection, tiktok_order_id: str, connection_id: str, products: Sequence[OversoldProduct]
) -> bool:
    """Store the alert; False when it was already raised."""
    inserted = await conn.fetchval(
        "INSERT INTO oversold_alerts (tiktok_order_id, connection_id, products)"
        " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING true",
        tiktok_order_id,
        connection_id,
        json.dumps([p.model_dump() for p in products]),
    )
    return bool(inserted)


async def oversold_alerts(
    conn: Connection, connection_ids: list[str], include_dismissed: bool
) -> list[dict[str, Any]]:
    """The connections' alerts, newest first."""
    rows = await conn.fetch(
        "SELECT tiktok_order_id, connection_id, products, created_at, dismissed"
        " FROM oversold_alerts WHERE connection_id = ANY($1::text[])"
        " AND ($2 OR NOT dismissed) ORDER BY created_at DESC",
        connection_ids,
        include_dismissed,
    )
    return [{**dict(r), "products": json.loads(r["products"])} for r in rows]


async def dismiss_oversold(
    conn: Connection, tiktok_order_id: str, connection_ids: list[str]
) -> bool:
    """Dismiss an alert of one of the connections; False when they have none."""
    done = await conn.fetchval(
        "UPDATE oversold_alerts SET dismissed = true"
        " WHERE tiktok_order_id = $1 AND connection_id = ANY($2::text[]) RETURNING true",
        tiktok_order_id,
        connection_ids,
    )
    return bool(done)


async def address_notices(conn: Connection, connection_ids: list[str]) -> list[dict[str, Any]]:
    """The connections' orders with an address change the merchant must know about, newest
    first."""
    rows = await conn.fetch(
        "SELECT tiktok_order_id, connection_id, shopify_order_name, address_notice,"
        " address_changed_at FROM orders WHERE address_notice IS NOT NULL"
        " AND connection_id = ANY($1::text[]) ORDER BY address_changed_at DESC",
        connection_ids,
    )
    return [dict(r) for r in rows]
