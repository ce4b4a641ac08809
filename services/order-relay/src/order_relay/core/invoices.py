"""Brazil invoices (Silk guide "Upload Invoice (Only for Brazil Market)"): statuses, the checks
of an invoice file, matching bulk files to packages, and why a shipment waits."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from xml.etree import ElementTree

MAX_INVOICE_BYTES = 1024 * 1024  # TikTok's limit for the XML file (reference Upload Invoice)


class InvoiceStatus(StrEnum):
    """The guide's "Invoice Status" column."""

    NEED_INVOICE = "NEED_INVOICE"
    PROCESSING = "PROCESSING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"


PENDING = (InvoiceStatus.NEED_INVOICE, InvoiceStatus.FAILED)  # "Show Pending Invoice"

# TikTok's `invalid_reason` (webhook 36) in the merchant's words.
_INVALID_REASONS = {
    "NOT_FOUND": "the tax authority (SEFAZ) does not know this invoice",
    "NOT_AUTHORIZED": "the invoice is not authorized by the tax authority (SEFAZ)",
    "ACCESS_KEY_DUPLICATE": "its access key was already used for another package",
    "FAILED": "TikTok Shop could not validate it",
}


@dataclass(frozen=True)
class Verdict:
    """Our status after a TikTok invoice status, and the reason shown when it failed."""

    status: InvoiceStatus
    reason: str | None = None


def verdict_of(tiktok_status: str, invalid_reason: str = "") -> Verdict:
    """TikTok's SUCCESS / PROCESSING / FAILED / INVALID as the guide's four statuses."""
    if tiktok_status == "SUCCESS":
        return Verdict(InvoiceStatus.SUCCESS)
    if tiktok_status == "PROCESSING":
        return Verdict(InvoiceStatus.PROCESSING)
    why = _INVALID_REASONS.get(invalid_reason, _INVALID_REASONS["FAILED"])
    return Verdict(InvoiceStatus.FAILED, f"Invoice refused: {why}. Upload a corrected invoice.")


def invoice_file_problem(content: bytes) -> str | None:
    """Why an invoice file cannot be uploaded (None: it can): XML, at most 1 MB."""
    if not content.strip():
        return "The invoice file is empty."
    if len(content) > MAX_INVOICE_BYTES:
        return f"The invoice file is {len(content)} bytes; TikTok Shop takes at most 1 MB."
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        # An NF-e has no DTD; refusing them keeps entity tricks away from the parser.
        return "The invoice file must be an NF-e XML document (no DOCTYPE)."
    try:
        ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        return f"The invoice file is not well-formed XML ({exc})."
    return None


@dataclass(frozen=True)
class PendingInvoice:
    """A package of an order that still needs an invoice."""

    tiktok_order_id: str
    package_id: str


def match_file(name: str, pending: Sequence[PendingInvoice]) -> PendingInvoice | str:
    """The pending invoice a bulk file is for, by the package id in its name (and the order id
    when the package is combined from several orders); else why it matches none."""
    numbers = set(re.findall(r"[0-9]+", name))
    packages = [p for p in pending if p.package_id in numbers]
    if not packages:
        return "Its name holds no package id that needs an invoice."
    if len(packages) == 1:
        return packages[0]
    by_order = [p for p in packages if p.tiktok_order_id in numbers]
    if len(by_order) == 1:
        return by_order[0]
    return (
        f"Package {packages[0].package_id} holds several orders: name the order id too (one"
        " invoice per order)."
    )


def hold_reason(unverified: Iterable[tuple[str, InvoiceStatus]]) -> str | None:
    """Why a Brazil shipment waits (None: every package it ships has a verified invoice)."""
    waiting = sorted(unverified)
    if not waiting:
        return None
    listed = ", ".join(f"{package} ({status.value})" for package, status in waiting)
    return (
        "Waiting for the invoice: TikTok Shop Brazil ships a package only once its invoice is"
        f" verified. Package(s) {listed}. Upload the XML invoice under Orders -> Need Invoice;"
        " the shipment follows once TikTok Shop accepts it."
    )
