"""Brazil invoices (reference A6 Upload Invoice, webhook 36): one invoice per package of an order
(a combined package needs one per order), verified asynchronously, required before shipping."""

import base64
import binascii
from xml.etree import ElementTree

from tiktok_shop_sandbox.envelope import PlatformError
from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import JsonDict, Order, Package, Shop

INVOICE_REGION = "BR"
MAX_INVOICE_BYTES = 1024 * 1024
INVOICE_STATUS_WEBHOOK = 36
# TikTok verifies an uploaded invoice against the tax authority: a moment later here.
VERIFY_SECONDS = 0.3
# Codes of the per-invoice errors (reference upload-invoice.json; the others are ours).
ALREADY_UPLOADED = 10007014
INVALID_INVOICE = 10007001
NOT_INVOICED = 21011060
# An NF-e (Nota Fiscal eletrônica) document: `nfeProc` (authorized) or a bare `NFe`.
NFE_ROOTS = {"nfeProc", "NFe"}


def needs_invoice(shop: Shop) -> bool:
    """Business sellers in Brazil invoice every order (the sandbox's sellers all are)."""
    return shop.region == INVOICE_REGION


def need_upload_invoice(sandbox: Sandbox, shop: Shop, order: Order) -> str:
    """Get Order Detail's `need_upload_invoice`."""
    if not needs_invoice(shop):
        return "NO_NEED"
    statuses = sandbox.world.invoice_status
    done = all(statuses.get((p.id, order.id)) == "SUCCESS" for p in order.packages)
    return "INVOICE_UPLOADED" if done and order.packages else "NEED_INVOICE"


def check_invoiced(sandbox: Sandbox, shop: Shop, orders: list[Order], package: Package) -> None:
    """Refuse to ship a Brazil package whose invoice (each order's) is not verified yet."""
    if not needs_invoice(shop):
        return
    missing = [
        o.id for o in orders if sandbox.world.invoice_status.get((package.id, o.id)) != "SUCCESS"
    ]
    if missing:
        raise PlatformError(
            NOT_INVOICED,
            f"The invoice of package {package.id} is required before shipping"
            f" (orders {', '.join(missing)}).",
        )


def upload(sandbox: Sandbox, shop: Shop, invoices: list[JsonDict]) -> list[JsonDict]:
    """Accept the valid invoices (PROCESSING, verified later); the errors of the others."""
    errors = []
    for invoice in invoices:
        problem = _problem(sandbox, shop, invoice)
        if problem is not None:
            code, message = problem
            errors.append(_error(code, message, invoice))
            continue
        _accept(sandbox, shop, invoice)
    return errors


def _error(code: int, message: str, invoice: JsonDict) -> JsonDict:
    detail = {"package_id": str(invoice.get("package_id") or ""), "order_ids": _orders(invoice)}
    return {"code": code, "message": message, "detail": detail}


def _orders(invoice: JsonDict) -> list[str]:
    ids = invoice.get("order_ids")
    return [str(i) for i in ids] if isinstance(ids, list) else []


def _problem(sandbox: Sandbox, shop: Shop, invoice: JsonDict) -> tuple[int, str] | None:
    package_id, order_ids = str(invoice.get("package_id") or ""), _orders(invoice)
    if len(order_ids) != 1:
        return INVALID_INVOICE, "Upload one invoice per order (combined packages: each order)."
    order = sandbox.world.orders.get(order_ids[0])
    if order is None or order.shop_id != shop.id:
        return INVALID_INVOICE, f"Order {order_ids[0]} does not belong to the current shop."
    if all(p.id != package_id for p in order.packages):
        return INVALID_INVOICE, f"Package {package_id} is not a package of order {order.id}."
    if sandbox.world.invoice_status.get((package_id, order.id)) in {"PROCESSING", "SUCCESS"}:
        return ALREADY_UPLOADED, "The invoice already exists in the upload. Please try again later"
    return _file_problem(invoice)


def _file_problem(invoice: JsonDict) -> tuple[int, str] | None:
    if invoice.get("file_type") != "XML":
        return INVALID_INVOICE, "file_type must be XML."
    try:
        content = base64.b64decode(str(invoice.get("file") or ""), validate=True)
    except (binascii.Error, ValueError):
        return INVALID_INVOICE, "file must be Base64."
    if not content:
        return INVALID_INVOICE, "file is empty."
    if len(content) > MAX_INVOICE_BYTES:
        return INVALID_INVOICE, "The invoice file exceeds 1MB."
    try:
        ElementTree.fromstring(content)
    except ElementTree.ParseError:
        return INVALID_INVOICE, "The invoice file is not valid XML."
    return None


def _accept(sandbox: Sandbox, shop: Shop, invoice: JsonDict) -> None:
    package_id, [order_id] = str(invoice["package_id"]), _orders(invoice)
    sandbox.world.invoice_status[(package_id, order_id)] = "PROCESSING"
    record: dict[str, object] = {"shop_id": shop.id, **invoice}
    sandbox.world.invoices.append(record)
    root = ElementTree.fromstring(base64.b64decode(str(invoice["file"])))
    verified = root.tag.rsplit("}", 1)[-1] in NFE_ROOTS
    sandbox.later(VERIFY_SECONDS, lambda: _verified(sandbox, shop, package_id, order_id, verified))


def _verified(sandbox: Sandbox, shop: Shop, package_id: str, order_id: str, verified: bool) -> None:
    status = "SUCCESS" if verified else "FAILED"
    sandbox.world.invoice_status[(package_id, order_id)] = status
    data: JsonDict = {"package_id": package_id, "order_ids": [order_id], "invoice_status": status}
    if not verified:
        data["invalid_reason"] = "FAILED"
    sandbox.notify(shop, INVOICE_STATUS_WEBHOOK, data)
