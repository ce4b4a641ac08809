"""Brazil invoices: TikTok's verdicts, invoice file checks, bulk file matching, shipment holds."""

from hypothesis import given
from hypothesis import strategies as st
from order_relay.core.invoices import (
    MAX_INVOICE_BYTES,
    InvoiceStatus,
    PendingInvoice,
    hold_reason,
    invoice_file_problem,
    match_file,
    verdict_of,
)

NFE = b'<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe"/>'


def test_tiktok_statuses_become_the_guides_four_with_a_reason_when_refused() -> None:
    assert verdict_of("SUCCESS").status is InvoiceStatus.SUCCESS
    assert verdict_of("PROCESSING").status is InvoiceStatus.PROCESSING
    duplicate = verdict_of("INVALID", "ACCESS_KEY_DUPLICATE")
    assert duplicate.status is InvoiceStatus.FAILED
    assert duplicate.reason is not None
    assert "access key" in duplicate.reason
    assert "could not validate" in (verdict_of("FAILED", "SOMETHING_NEW").reason or "")


def test_an_invoice_file_is_well_formed_xml_of_at_most_one_megabyte() -> None:
    assert invoice_file_problem(NFE) is None
    assert "empty" in (invoice_file_problem(b"  ") or "")
    assert "1 MB" in (invoice_file_problem(b"<a>" + b" " * MAX_INVOICE_BYTES + b"</a>") or "")
    assert "well-formed" in (invoice_file_problem(b"<a>") or "")
    assert "DOCTYPE" in (invoice_file_problem(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>') or "")


@given(st.binary(max_size=200))
def test_any_bytes_get_an_answer_never_an_exception(content: bytes) -> None:
    assert invoice_file_problem(content) is None or invoice_file_problem(content)


PENDING = [
    PendingInvoice("5001", "9001"),
    PendingInvoice("5002", "9002"),  # 9002 is combined from orders 5002 and 5003
    PendingInvoice("5003", "9002"),
]


def test_bulk_files_match_a_package_by_name_and_a_combined_one_by_order_too() -> None:
    assert match_file("NFe-9001.xml", PENDING) == PENDING[0]
    assert "name the order id" in str(match_file("9002.xml", PENDING))
    assert match_file("9002_5003.xml", PENDING) == PENDING[2]
    assert "no package" in str(match_file("invoice.xml", PENDING))


def test_a_shipment_waits_while_any_of_its_packages_is_not_verified() -> None:
    assert hold_reason([]) is None
    reason = hold_reason([("9002", InvoiceStatus.FAILED), ("9001", InvoiceStatus.NEED_INVOICE)])
    assert reason is not None
    assert "9001 (NEED_INVOICE), 9002 (FAILED)" in reason
