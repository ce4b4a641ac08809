"""Qualification Center details as TikTok takes them: a manufacturer's address is text, a
responsible person's an EU address object."""

from catalog_sync.core.compliance import (
    ComplianceDetails,
    ComplianceKind,
    details_issues,
    to_tiktok,
)

DETAILS = ComplianceDetails.model_validate(
    {
        "name": "EU Rep Ltd",
        "registered_trade_name": "Rep",
        "email": "rep@example.ie",
        "address": "1 Main St, Dublin",
        "postal_code": "D01 F5P2",
        "country": "IE",
        "phone_number": {"country_code": "+353", "local_number": "15551234"},
    }
)


def test_a_manufacturer_body_keeps_the_address_as_text_and_the_trade_name() -> None:
    body = to_tiktok(ComplianceKind.MANUFACTURER, DETAILS)
    assert body["address"] == "1 Main St, Dublin"
    assert body["registered_trade_name"] == "Rep"
    assert "postal_code" not in body
    assert "country" not in body


def test_a_responsible_person_body_has_a_structured_address_and_no_trade_name() -> None:
    body = to_tiktok(ComplianceKind.RESPONSIBLE_PERSON, DETAILS)
    assert body["address"] == {
        "street_address_line1": "1 Main St, Dublin",
        "postal_code": "D01 F5P2",
        "country": "IE",
    }
    assert "registered_trade_name" not in body
    assert body["phone_number"] == {"country_code": "+353", "local_number": "15551234"}


def test_a_responsible_person_without_postal_code_or_country_is_explained() -> None:
    bare = DETAILS.model_copy(update={"postal_code": None, "country": None})
    issues = details_issues(ComplianceKind.RESPONSIBLE_PERSON, bare)
    assert issues == [
        "A responsible person needs a postal code in the address.",
        "A responsible person needs a country in the address.",
    ]
    assert details_issues(ComplianceKind.MANUFACTURER, bare) == []
