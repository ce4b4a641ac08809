"""Field rules of manufacturers and responsible persons (EU GPSR), with the platform's codes.

Limits and codes are the ones in `partial-edit-manufacturer.json` and
`partial-edit-responsible-person.json` (reference A6); every field of a partial edit is optional,
but a field that is given must be valid.
"""

import re

from tiktok_shop_sandbox.envelope import PlatformError
from tiktok_shop_sandbox.state import JsonDict

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COUNTRY_CODE = re.compile(r"^\+\d{1,4}$")
# EU member states and their phone country codes (only EU ones are accepted, reference A6).
_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
_EU_PHONES = (
    "+30 +31 +32 +33 +34 +351 +352 +353 +356 +357 +358 +359 +36 +370 +371 +372 +385 +386"
    " +39 +40 +420 +421 +43 +45 +46 +48 +49"
)
EU_COUNTRIES = frozenset(_EU.split())
EU_PHONE_CODES = frozenset(_EU_PHONES.split())
AVAILABILITY = frozenset({"AVAILABLE", "UNAVAILABLE"})


def _text(value: object, max_length: int, invalid: PlatformError, too_long: PlatformError) -> None:
    if not isinstance(value, str) or not value.strip():
        raise invalid
    if len(value) > max_length:
        raise too_long


def _email(body: JsonDict) -> None:
    if "email" in body and not EMAIL.match(str(body["email"] or "")):
        raise PlatformError(38023042, "Invalid email format")


def _digits(value: object, low: int, high: int) -> None:
    text = str(value or "")
    if not text.isdigit() or not low <= len(text) <= high:
        raise PlatformError(38023041, "Invalid phone number length")


def check_manufacturer(body: JsonDict) -> None:
    """Reject an invalid manufacturer field (partial edit: absent fields are fine)."""
    if "name" in body:
        _text(
            body["name"],
            255,
            PlatformError(38023033, "Invalid manufacturer's name"),
            PlatformError(38023044, "Invalid name length"),
        )
    if "registered_trade_name" in body:
        _text(
            body["registered_trade_name"],
            200,
            PlatformError(38023037, "Invalid manufacturer's registered trade name"),
            PlatformError(38023045, "Invalid registered trade name length"),
        )
    _email(body)
    if "phone_number" in body:
        _manufacturer_phone(body["phone_number"])
    if "address" in body:
        _text(
            body["address"],
            500,
            PlatformError(38023034, "Invalid manufacturer's address"),
            PlatformError(38023043, "Invalid address length"),
        )


def _manufacturer_phone(phone: object) -> None:
    phone = phone if isinstance(phone, dict) else {}
    availability = phone.get("availability", "AVAILABLE")
    if availability not in AVAILABILITY:
        raise PlatformError(
            38023060,
            "Invalid phone number availability. Supported values: `AVAILABLE`, `UNAVAILABLE`",
        )
    if availability == "AVAILABLE":
        if not COUNTRY_CODE.match(str(phone.get("country_code") or "")):
            raise PlatformError(38023046, "Invalid phone country code format")
        _digits(phone.get("local_number"), 7, 20)


def check_responsible_person(body: JsonDict) -> None:
    """Reject an invalid responsible person field (partial edit: absent fields are fine)."""
    if "name" in body:
        _text(
            body["name"],
            200,
            PlatformError(38023022, "Invalid responsible person's name"),
            PlatformError(38023044, "Invalid name length"),
        )
    _email(body)
    if "phone_number" in body:
        phone = body["phone_number"] if isinstance(body["phone_number"], dict) else {}
        if str(phone.get("country_code") or "") not in EU_PHONE_CODES:
            raise PlatformError(38023028, "Invalid EU phone country code")
        _digits(phone.get("local_number"), 7, 11)
    if "address" in body:
        _person_address(body["address"])


def _person_address(address: object) -> None:
    invalid = PlatformError(38023024, "Invalid responsible person's address")
    if not isinstance(address, dict):
        raise invalid
    too_long = PlatformError(38023043, "Invalid address length")
    _text(address.get("street_address_line1"), 500, invalid, too_long)
    _text(address.get("postal_code"), 500, invalid, too_long)
    if address.get("country") not in EU_COUNTRIES:
        raise PlatformError(38023026, "Invalid EU country")
