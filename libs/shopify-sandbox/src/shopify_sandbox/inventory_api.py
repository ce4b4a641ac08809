"""inventorySetQuantities (compare-and-set per API version) and inventoryAdjustQuantities (B6)."""

from __future__ import annotations

from typing import Any

from shopify_sandbox.records import InventoryLevel, now
from shopify_sandbox.resolving import Info, Resolvers, ctx, idempotent, user_error
from shopify_sandbox.rest_shapes import inventory_level_json
from shopify_sandbox.state import Context

NAMES = ("available", "on_hand")
MAX_QUANTITY = 1_000_000_000
# Reasons accepted by Shopify's inventory mutations (list is UNCONFIRMED, B6).
REASONS = {
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_created",
    "movement_updated",
    "movement_received",
    "movement_canceled",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
}


def set_quantity(context: Context, level: InventoryLevel, name: str, quantity: int) -> int:
    """Set a named quantity, emit `inventory_levels/update`, and return the delta."""
    before = level.quantity(name)
    level.available = quantity if name == "available" else quantity - level.committed
    level.updated_at = now()
    if level.quantity(name) != before:
        context.emit("inventory_levels/update", inventory_level_json(level))
    return level.quantity(name) - before


def _level(context: Context, item_id: str, location_id: str, path: list[str]) -> Any:
    item = context.shop.items.get(item_id)
    if item is None:
        return user_error(
            path, "The specified inventory item could not be found.", "INVALID_INVENTORY_ITEM"
        )
    if location_id not in context.shop.locations:
        return user_error(path, "The specified location could not be found.", "INVALID_LOCATION")
    level = item.levels.get(location_id)
    if level is None:
        return user_error(
            path,
            "The specified inventory item is not stocked at the location.",
            "ITEM_NOT_STOCKED_AT_LOCATION",
        )
    return level


def _stale(path: list[str], field: str, code: str) -> dict[str, Any]:
    return user_error([*path, field], f"The {field} value does not match persisted value.", code)


def _check_cas(
    context: Context, entry: dict[str, Any], current: int, ignore: bool, path: list[str]
) -> dict[str, Any] | None:
    newest = context.version == "unstable" or context.version >= "2026-04"
    if newest and "changeFromQuantity" not in entry:
        # 2026-04: changeFromQuantity is mandatory on every quantity; null opts out (B6).
        message = "changeFromQuantity must be provided; pass null to skip the check."
        return user_error([*path, "changeFromQuantity"], message)
    if newest or entry.get("changeFromQuantity") is not None:
        expected = entry.get("changeFromQuantity")
        if expected is not None and expected != current:
            return _stale(path, "changeFromQuantity", "CHANGE_FROM_QUANTITY_STALE")
        return None
    if ignore:
        return None
    if entry.get("compareQuantity") is None:
        return user_error(
            [*path, "compareQuantity"],
            "The compareQuantity argument must be given to each quantity or ignored using "
            "ignoreCompareQuantity.",
            "COMPARE_QUANTITY_REQUIRED",
        )
    if entry["compareQuantity"] != current:
        return _stale(path, "compareQuantity", "COMPARE_QUANTITY_STALE")
    return None


def _validate_set(
    context: Context, data: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[InventoryLevel]]:
    errors: list[dict[str, Any]] = []
    levels: list[InventoryLevel] = []
    if data["name"] not in NAMES:
        errors.append(
            user_error(
                ["input", "name"],
                "The quantity name must be either 'available' or 'on_hand'.",
                "INVALID_NAME",
            )
        )
    if data["reason"] not in REASONS:
        errors.append(
            user_error(["input", "reason"], "The specified reason is invalid.", "INVALID_REASON")
        )
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(data["quantities"]):
        path = ["input", "quantities", str(i)]
        pair = (entry["inventoryItemId"], entry["locationId"])
        if pair in seen:
            errors.append(
                user_error(
                    path,
                    "The combination of inventoryItemId and locationId must be unique.",
                    "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                )
            )
        seen.add(pair)
        found = _level(context, *pair, path)
        if isinstance(found, dict):
            errors.append(found)
            continue
        if not 0 <= entry["quantity"] <= MAX_QUANTITY:
            code = (
                "INVALID_QUANTITY_NEGATIVE"
                if entry["quantity"] < 0
                else "INVALID_QUANTITY_TOO_HIGH"
            )
            errors.append(user_error([*path, "quantity"], "The quantity is out of range.", code))
        name = data["name"] if data["name"] in NAMES else "available"
        cas = _check_cas(
            context, entry, found.quantity(name), bool(data.get("ignoreCompareQuantity")), path
        )
        if cas:
            errors.append(cas)
        levels.append(found)
    return errors, levels


def _set_quantities(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    context = ctx(info)

    def run() -> dict[str, Any]:
        errors, levels = _validate_set(context, input)
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        changes = []
        for level, entry in zip(levels, input["quantities"], strict=True):
            delta = set_quantity(context, level, input["name"], entry["quantity"])
            changes.append(_change(input["name"], delta, level))
        return {"inventoryAdjustmentGroup": _group(context, input, changes), "userErrors": []}

    return idempotent(info, {"input": input}, run, lambda: _mismatch())


def _adjust_quantities(_: Any, info: Info, input: dict[str, Any]) -> dict[str, Any]:
    context = ctx(info)

    def run() -> dict[str, Any]:
        errors: list[dict[str, Any]] = []
        levels: list[InventoryLevel] = []
        for i, change in enumerate(input["changes"]):
            found = _level(
                context,
                change["inventoryItemId"],
                change["locationId"],
                ["input", "changes", str(i)],
            )
            if isinstance(found, dict):
                errors.append(found)
            else:
                levels.append(found)
        if input["name"] not in NAMES:
            errors.append(
                user_error(
                    ["input", "name"],
                    "The quantity name must be either 'available' or 'on_hand'.",
                    "INVALID_NAME",
                )
            )
        if errors:
            return {"inventoryAdjustmentGroup": None, "userErrors": errors}
        changes = []
        for level, change in zip(levels, input["changes"], strict=True):
            target = level.quantity(input["name"]) + change["delta"]
            changes.append(
                _change(input["name"], set_quantity(context, level, input["name"], target), level)
            )
        return {"inventoryAdjustmentGroup": _group(context, input, changes), "userErrors": []}

    return idempotent(info, {"input": input}, run, lambda: _mismatch())


def _change(name: str, delta: int, level: InventoryLevel) -> dict[str, Any]:
    return {
        "name": name,
        "delta": delta,
        "quantityAfterChange": level.quantity(name),
        "item": level.item,
        "location": level.location,
    }


def _group(context: Context, data: dict[str, Any], changes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": context.shop.new_gid("InventoryAdjustmentGroup"),
        "createdAt": now(),
        "reason": data["reason"],
        "referenceDocumentUri": data.get("referenceDocumentUri"),
        "changes": changes,
    }


def _mismatch() -> dict[str, Any]:
    return {
        "inventoryAdjustmentGroup": None,
        "userErrors": [
            user_error(
                None,
                "The same idempotency key cannot be used with different operation parameters.",
                "IDEMPOTENCY_KEY_PARAMETER_MISMATCH",
            )
        ],
    }


RESOLVERS: Resolvers = {
    ("Mutation", "inventorySetQuantities"): _set_quantities,
    ("Mutation", "inventoryAdjustQuantities"): _adjust_quantities,
}
