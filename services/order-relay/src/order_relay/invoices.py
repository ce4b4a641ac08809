"""Brazil invoices: which packages need one (when an order is relayed), uploads to TikTok, and
TikTok's verdict (webhook 36), which releases the fulfilments held for it (ADR 0631)."""

import base64
from dataclasses import dataclass

import structlog
from connector_connections import load_connection
from connector_contracts import Envelope, OrderInvoiceChanged
from connector_runtime.consumer import EventRouter
from connector_runtime.db import Connection
from connector_runtime.outbox import Effects
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.fulfillment import Invoice

from order_relay import aftersale, invoice_store, metrics, store
from order_relay.core.invoices import PENDING, InvoiceStatus, invoice_file_problem, verdict_of
from order_relay.platforms import Deps

log = structlog.get_logger()


def subscribe(events: EventRouter, deps: Deps) -> None:
    """Add the invoice status subscriber to the service's router."""

    @events.on(OrderInvoiceChanged)
    async def on_invoice_changed(envelope: Envelope[OrderInvoiceChanged], fx: Effects) -> None:
        """Record TikTok's verdict on a package's invoice; a success ships what waited for it."""
        await invoice_changed(fx, deps, envelope.payload)


async def invoice_changed(fx: Effects, deps: Deps, change: OrderInvoiceChanged) -> None:
    """Apply webhook 36 to each order of the package (a combined package has several)."""
    verdict = verdict_of(change.invoice_status, change.invalid_reason)
    for order_id in change.tiktok_order_ids:
        if await invoice_store.invoice(fx.conn, order_id, change.package_id) is None:
            continue  # not an order we relayed (or not one that needs invoices)
        await invoice_store.set_status(
            fx.conn, order_id, change.package_id, verdict.status, verdict.reason
        )
        said = verdict.reason or f"Invoice of package {change.package_id}: {verdict.status.value}."
        await store.add_history(fx.conn, order_id, "invoice", said)
        metrics.INVOICES.labels(verdict.status.value.lower()).inc()
        log.info(
            "order.invoice_changed",
            tiktok_order_id=order_id,
            package_id=change.package_id,
            status=verdict.status.value,
        )
    if verdict.status is InvoiceStatus.SUCCESS:
        for held in await invoice_store.take_held_of_package(fx.conn, change.package_id):
            await aftersale.ship(fx, deps, held)


@dataclass(frozen=True)
class UploadRefused(Exception):
    """An invoice that cannot be uploaded: the HTTP status and the merchant-readable reason."""

    status_code: int
    reason: str


async def upload(
    conn: Connection, deps: Deps, order_id: str, package_id: str, name: str, content: bytes
) -> invoice_store.Invoice:
    """Send one package's XML invoice to TikTok: PROCESSING until TikTok's verdict, or FAILED
    with TikTok's reason when it refused it at once; UploadRefused when it was not sent."""
    row = await invoice_store.invoice(conn, order_id, package_id)
    if row is None:
        raise UploadRefused(404, f"Order {order_id} has no package {package_id} to invoice.")
    if row.status not in PENDING:
        raise UploadRefused(409, f"The invoice of package {package_id} is {row.status.value}.")
    problem = invoice_file_problem(content)
    if problem is not None:
        raise UploadRefused(422, problem)
    reason = await _send(conn, deps, row, content)
    if reason is not None:  # recorded: the row says FAILED with TikTok's words
        await invoice_store.set_status(conn, order_id, package_id, InvoiceStatus.FAILED, reason)
        await store.add_history(conn, order_id, "invoice", reason)
        metrics.INVOICES.labels("upload_refused").inc()
        log.warning("order.invoice_refused", tiktok_order_id=order_id, reason=reason)
    else:
        await invoice_store.set_status(
            conn, order_id, package_id, InvoiceStatus.PROCESSING, None, name
        )
        await store.add_history(
            conn, order_id, "invoice", f"Invoice {name} uploaded for package {package_id}."
        )
        metrics.INVOICES.labels("uploaded").inc()
    uploaded = await invoice_store.invoice(conn, order_id, package_id)
    assert uploaded is not None
    return uploaded


async def _send(
    conn: Connection, deps: Deps, row: invoice_store.Invoice, content: bytes
) -> str | None:
    """Upload Invoice; TikTok's reason when it refused this invoice (None: accepted)."""
    connection = await load_connection(conn, row.connection_id)
    if connection is None:
        raise UploadRefused(409, f"Connection {row.connection_id} is not known.")
    clients = await deps.clients(connection, row.tiktok_shop_id or None)
    invoice = Invoice(
        package_id=row.package_id,
        order_ids=[row.tiktok_order_id],
        file=base64.b64encode(content).decode(),
    )
    try:
        result = await clients.tiktok.fulfillment.upload_invoices([invoice])
    except BusinessError as exc:
        return f"TikTok Shop refused the invoice: {exc}"
    if result.errors:
        return "TikTok Shop refused the invoice: " + "; ".join(
            f"{e.message} ({e.code})" for e in result.errors
        )
    return None
