"""Brazil invoices per package of an order, and the fulfilments held until they are verified."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from connector_connections import Connection as Replica
from connector_connections import region_of
from connector_contracts import OrderInvoicesNeeded, ShopifyFulfillmentCreated
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from tiktok_shop.models.orders import Order

from order_relay.core.invoices import PENDING, InvoiceStatus, PendingInvoice

NEEDS_INVOICE = "NEED_INVOICE"  # TikTok's `need_upload_invoice` for an order to invoice


@dataclass(frozen=True)
class Invoice:
    """One row of the guide's invoice list: a package of an order and its invoice status."""

    tiktok_order_id: str
    package_id: str
    connection_id: str
    tiktok_shop_id: str
    status: InvoiceStatus
    reason: str | None
    file_name: str | None
    uploaded_at: datetime | None
    updated_at: datetime


_COLUMNS = (
    "tiktok_order_id, package_id, connection_id, tiktok_shop_id, status, reason, file_name,"
    " uploaded_at, updated_at"
)


def _invoice(row: object) -> Invoice:
    values = dict(row)  # type: ignore[call-overload]
    return Invoice(**values | {"status": InvoiceStatus(values["status"])})


async def record_needed(
    conn: Connection, order_id: str, package_ids: Sequence[str], connection_id: str, shop_id: str
) -> list[str]:
    """The order's packages need invoices (kept as they are when already known); returns the
    packages that were not known yet (the "invoices needed" notification names only those)."""
    rows = await conn.fetch(
        "INSERT INTO invoices (tiktok_order_id, package_id, connection_id, tiktok_shop_id)"
        " SELECT $1, p, $3, $4 FROM unnest($2::text[]) AS p ON CONFLICT DO NOTHING"
        " RETURNING package_id",
        order_id,
        list(dict.fromkeys(package_ids)),
        connection_id,
        shop_id,
    )
    return [r["package_id"] for r in rows]


async def record_needs(fx: Effects, order: Order, connection: Replica, shop_id: str) -> None:
    """A relayed Brazil order that TikTok says needs an invoice: one row per package (no query
    for any other order), and `order.invoice.needed` for the packages newly recorded."""
    if order.need_upload_invoice == NEEDS_INVOICE and order.packages:
        packages = [p.id for p in order.packages]
        added = await record_needed(fx.conn, order.id, packages, connection.connection_id, shop_id)
        await emit_needed(fx, connection, order.id, shop_id, added)


async def emit_needed(
    fx: Effects, connection: Replica | None, order_id: str, shop_id: str, package_ids: list[str]
) -> None:
    """Tell the gateway (the "invoices needed" digest, ADR 0842) which packages wait for one."""
    if not package_ids or connection is None:
        return
    needed = OrderInvoicesNeeded(
        tiktok_order_id=order_id,
        tiktok_shop_id=shop_id,
        region=region_of(connection, shop_id),
        package_ids=package_ids,
    )
    await fx.emit(needed, connection_id=connection.connection_id)


async def replace_packages(
    conn: Connection, order_id: str, package_ids: Sequence[str]
) -> tuple[str, list[str]] | None:
    """TikTok split or combined an invoiced order's packages: rows for the new packages, none
    for those that are gone unless an invoice was already sent. None: not an invoiced order;
    else the order's TikTok shop and the packages newly needing an invoice."""
    known = await conn.fetchrow(
        "SELECT connection_id, tiktok_shop_id FROM invoices WHERE tiktok_order_id = $1 LIMIT 1",
        order_id,
    )
    if known is None:
        return None
    await conn.execute(
        "DELETE FROM invoices WHERE tiktok_order_id = $1 AND NOT package_id = ANY($2::text[])"
        " AND status = 'NEED_INVOICE'",
        order_id,
        list(package_ids),
    )
    added = await record_needed(
        conn, order_id, package_ids, known["connection_id"], known["tiktok_shop_id"]
    )
    return known["tiktok_shop_id"], added


async def invoice(conn: Connection, order_id: str, package_id: str) -> Invoice | None:
    """One package's invoice row, locked."""
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM invoices WHERE tiktok_order_id = $1 AND package_id = $2"
        " FOR UPDATE",
        order_id,
        package_id,
    )
    return _invoice(row) if row else None


async def set_status(
    conn: Connection,
    order_id: str,
    package_id: str,
    status: InvoiceStatus,
    reason: str | None,
    file_name: str | None = None,
) -> None:
    """A package's new invoice status (`file_name`: an upload)."""
    await conn.execute(
        "UPDATE invoices SET status = $3, reason = $4, updated_at = now(),"
        " file_name = COALESCE($5, file_name),"
        " uploaded_at = CASE WHEN $5::text IS NULL THEN uploaded_at ELSE now() END"
        " WHERE tiktok_order_id = $1 AND package_id = $2",
        order_id,
        package_id,
        status.value,
        reason,
        file_name,
    )


async def unverified(
    conn: Connection, package_ids: Sequence[str]
) -> list[tuple[str, InvoiceStatus]]:
    """Packages among `package_ids` with an invoice not verified yet (a combined package ships
    the lines of several orders: every one of their invoices counts)."""
    rows = await conn.fetch(
        "SELECT package_id, status FROM invoices WHERE package_id = ANY($1::text[])"
        " AND status <> 'SUCCESS'",
        list(package_ids),
    )
    return [(r["package_id"], InvoiceStatus(r["status"])) for r in rows]


async def listing(
    conn: Connection,
    connection_id: str,
    shop_id: str | None,
    *,
    pending_only: bool,
    limit: int,
    offset: int,
) -> tuple[list[Invoice], dict[str, int]]:
    """A connection's invoices (newest first) and the count per status, plus `pending`."""
    scope = "connection_id = $1 AND ($2::text IS NULL OR tiktok_shop_id = $2)"
    pending = [s.value for s in PENDING]
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM invoices WHERE {scope}"
        " AND (NOT $3 OR status = ANY($4::text[]))"
        " ORDER BY updated_at DESC, tiktok_order_id, package_id LIMIT $5 OFFSET $6",
        connection_id,
        shop_id,
        pending_only,
        pending,
        limit,
        offset,
    )
    counted = await conn.fetch(
        f"SELECT status, count(*) AS n FROM invoices WHERE {scope} GROUP BY status",
        connection_id,
        shop_id,
    )
    counts = {s.value.lower(): 0 for s in InvoiceStatus} | {
        r["status"].lower(): int(r["n"]) for r in counted
    }
    counts["pending"] = sum(counts[s.value.lower()] for s in PENDING)
    return [_invoice(r) for r in rows], counts


async def pending_of(
    conn: Connection, connection_id: str, shop_id: str | None
) -> list[PendingInvoice]:
    """Every package of the connection that needs an invoice (NEED_INVOICE or FAILED)."""
    rows = await conn.fetch(
        "SELECT tiktok_order_id, package_id FROM invoices WHERE connection_id = $1"
        " AND ($2::text IS NULL OR tiktok_shop_id = $2) AND status = ANY($3::text[])",
        connection_id,
        shop_id,
        [s.value for s in PENDING],
    )
    return [PendingInvoice(r["tiktok_order_id"], r["package_id"]) for r in rows]


async def hold_shipment(conn: Connection, order_id: str, event: ShopifyFulfillmentCreated) -> None:
    """Keep a fulfilment until its packages' invoices are verified (the newest version)."""
    await conn.execute(
        "INSERT INTO held_shipments (tiktok_order_id, fulfillment_id, fulfilment)"
        " VALUES ($1, $2, $3) ON CONFLICT (tiktok_order_id, fulfillment_id)"
        " DO UPDATE SET fulfilment = $3",
        order_id,
        event.fulfillment_id,
        event.model_dump_json(),
    )


async def take_held_of_package(
    conn: Connection, package_id: str
) -> list[ShopifyFulfillmentCreated]:
    """The held fulfilments of the orders in a package, removed (shipping one again holds it
    again while another of its invoices is not verified)."""
    rows = await conn.fetch(
        "DELETE FROM held_shipments WHERE tiktok_order_id IN"
        " (SELECT tiktok_order_id FROM invoices WHERE package_id = $1)"
        " RETURNING fulfilment, held_at",
        package_id,
    )
    ordered = sorted(rows, key=lambda r: r["held_at"])
    return [ShopifyFulfillmentCreated.model_validate_json(r["fulfilment"]) for r in ordered]
