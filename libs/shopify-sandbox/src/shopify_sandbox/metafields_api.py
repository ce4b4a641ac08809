"""Product metafields: read them (`metafields`, `metafield`) and set them (`metafieldsSet`).

A metafield's value is always a string read by its type; `list.*` types hold a JSON array.
`metafieldsSet` is all or nothing: one invalid input saves none of them. An app's
`metafieldsSet` sends no webhook; a merchant's save in admin (the control plane) does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from shopify_sandbox.connections import connection
from shopify_sandbox.records import Metafield, Product, now
from shopify_sandbox.resolving import Info, Resolvers, ctx
from shopify_sandbox.shop import Shop

JSON = dict[str, Any]
MAX_INPUTS = 25  # metafieldsSet takes at most 25 metafields per call
_HANDLE = re.compile(r"^[A-Za-z0-9_-]+$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_INTEGER = re.compile(r"^-?\d{1,19}$")


def _is_decimal(value: Any) -> bool:
    try:
        return Decimal(str(value)).is_finite()
    except InvalidOperation:
        return False


def _is_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _is_measure(value: Any) -> bool:
    return isinstance(value, dict) and _is_decimal(value.get("value")) and bool(value.get("unit"))


def _is_json(value: str) -> bool:
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


# The checks of the types the sandbox knows, on one element (a list's items one by one).
SCALAR_TYPES: dict[str, Callable[[Any], bool]] = {
    "single_line_text_field": lambda v: isinstance(v, str) and "\n" not in v,
    "multi_line_text_field": lambda v: isinstance(v, str),
    "number_integer": lambda v: _INTEGER.match(str(v)) is not None,
    "number_decimal": _is_decimal,
    "boolean": lambda v: str(v) in ("true", "false"),
    "url": lambda v: str(v).startswith(("https://", "http://")),
    "color": lambda v: _COLOR.match(str(v)) is not None,
    "date": _is_date,
}
MEASURE_TYPES = ("weight", "dimension", "volume")
LIST_TYPES = ("single_line_text_field", "number_integer", "number_decimal", "url", "color", "date")


def valid_value(type_name: str, value: str) -> bool:
    """Whether `value` is a valid string for a metafield of `type_name`."""
    if type_name == "json":
        return _is_json(value)
    if type_name in MEASURE_TYPES:
        return _is_json(value) and _is_measure(json.loads(value))
    if type_name.startswith("list."):
        check = SCALAR_TYPES[type_name.removeprefix("list.")]
        items = json.loads(value) if _is_json(value) else None
        return isinstance(items, list) and all(check(item) for item in items)
    return SCALAR_TYPES[type_name](value)


def known_type(type_name: str) -> bool:
    """Whether the sandbox knows the metafield type."""
    if type_name.startswith("list."):
        return type_name.removeprefix("list.") in LIST_TYPES
    return type_name in SCALAR_TYPES or type_name in MEASURE_TYPES or type_name == "json"


def _error(index: int, field: str, message: str, code: str) -> JSON:
    return {
        "field": ["metafields", str(index), field],
        "message": message,
        "code": code,
        "elementIndex": index,
    }


def _handle_error(index: int, field: str, value: str, low: int, high: int) -> JSON | None:
    if len(value) < low:
        return _error(
            index, field, f"{field} is too short (minimum is {low} characters)", "TOO_SHORT"
        )
    if len(value) > high:
        return _error(
            index, field, f"{field} is too long (maximum is {high} characters)", "TOO_LONG"
        )
    if not _HANDLE.match(value):
        message = f"{field} contains invalid characters (letters, digits, - and _ only)"
        return _error(index, field, message, "INVALID")
    return None


def input_errors(shop: Shop, index: int, given: JSON) -> list[JSON]:
    """What is wrong with one MetafieldsSetInput (namespace, key, owner, type and value)."""
    namespace, key = given.get("namespace") or "", given["key"]
    errors = [
        e
        for e in (
            _handle_error(index, "namespace", namespace, 3, 255),
            _handle_error(index, "key", key, 2, 64),
        )
        if e
    ]
    product = shop.products.get(given["ownerId"])
    if product is None:
        errors.append(_error(index, "ownerId", "Owner does not exist.", "INVALID"))
        return errors
    existing = find_metafield(product, namespace, key)
    type_name = given.get("type") or (existing.type if existing else None)
    if not type_name:
        errors.append(_error(index, "type", "Type can't be blank", "BLANK"))
    elif not known_type(type_name):
        message = f"Type name {type_name} is not a valid type."
        errors.append(_error(index, "type", message, "INVALID_TYPE"))
    elif not valid_value(type_name, given["value"]):
        message = f"Value is invalid for type {type_name}."
        errors.append(_error(index, "value", message, "INVALID_VALUE"))
    return errors


def find_metafield(product: Product, namespace: str, key: str) -> Metafield | None:
    """The product's metafield `namespace.key`, if it has one."""
    return next(
        (m for m in product.metafield_list if (m.namespace, m.key) == (namespace, key)), None
    )


def set_metafield(shop: Shop, product: Product, given: JSON) -> Metafield:
    """Create or update one (validated) metafield of the product."""
    namespace, key = given["namespace"], given["key"]
    existing = find_metafield(product, namespace, key)
    if existing is None:
        existing = Metafield(shop.new_gid("Metafield"), namespace, key, given["type"], "")
        product.metafield_list.append(existing)
    existing.type = given.get("type") or existing.type
    existing.value, existing.updated_at = given["value"], now()
    return existing


def set_all(shop: Shop, inputs: list[JSON]) -> tuple[list[Metafield], list[JSON]]:
    """Validate every input, then save all of them, or none when any is invalid."""
    if len(inputs) > MAX_INPUTS:
        message = f"Exceeded the maximum metafields input limit of {MAX_INPUTS}."
        return [], [{"field": ["metafields"], "message": message, "code": "LESS_THAN_OR_EQUAL_TO"}]
    errors = [e for i, given in enumerate(inputs) for e in input_errors(shop, i, given)]
    if errors:
        return [], errors
    return [set_metafield(shop, shop.products[g["ownerId"]], g) for g in inputs], []


def _metafields_set(_: Any, info: Info, metafields: list[JSON]) -> JSON:
    saved, errors = set_all(ctx(info).shop, metafields)
    return {"metafields": saved if not errors else None, "userErrors": errors}


def _product_metafields(product: Product, info: Info, **args: Any) -> JSON:
    namespace, keys = args.get("namespace"), args.get("keys")
    found = [
        m
        for m in product.metafield_list
        if (namespace is None or m.namespace == namespace)
        and (keys is None or f"{m.namespace}.{m.key}" in keys)
    ]
    return connection(found, info, args)


def _product_metafield(
    product: Product, _: Info, key: str, namespace: str | None = None
) -> Metafield | None:
    if namespace is None and "." in key:  # `key` may name both: "custom.material"
        namespace, key = key.split(".", 1)
    return find_metafield(product, namespace or "", key)


RESOLVERS: Resolvers = {
    ("Mutation", "metafieldsSet"): _metafields_set,
    ("Product", "metafields"): _product_metafields,
    ("Product", "metafield"): _product_metafield,
}
