"""The one public OpenAPI document: owners' paths only, shared schemas once, clashing names
prefixed with every reference following (ADR 1000)."""

from typing import Any

from gateway.core.public_openapi import public_openapi


def _doc(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def test_only_owned_resources_are_taken_from_a_service() -> None:
    gateway = _doc({"/api/v1/connections": {"get": {}}}, {})
    relay = _doc(
        {"/api/v1/orders": {"get": {}}, "/healthz": {"get": {}}, "/api/v1/catalog/x": {"get": {}}},
        {},
    )
    merged = public_openapi(gateway, {"order-relay": relay})
    assert sorted(merged["paths"]) == ["/api/v1/connections", "/api/v1/orders"]


def test_same_schema_is_kept_once_and_a_clash_is_prefixed_with_its_references() -> None:
    error = {"type": "object", "properties": {"detail": {"type": "string"}}}
    gateway = _doc({}, {"HTTPValidationError": error, "Page": {"type": "object"}})
    page = {"type": "object", "properties": {"items": {"type": "array", "items": _ref("Item")}}}
    relay = _doc(
        {
            "/api/v1/orders": {
                "get": {
                    "responses": {
                        "200": {"schema": _ref("Page")},
                        "422": {"schema": _ref("HTTPValidationError")},
                    }
                }
            }
        },
        {"HTTPValidationError": error, "Page": page, "Item": {"type": "string"}},
    )
    merged = public_openapi(gateway, {"order-relay": relay})
    schemas = merged["components"]["schemas"]
    assert schemas["Page"] == {"type": "object"}
    assert schemas["order_relay__Page"] == page
    assert sorted(schemas) == ["HTTPValidationError", "Item", "Page", "order_relay__Page"]
    responses = merged["paths"]["/api/v1/orders"]["get"]["responses"]
    assert responses["200"]["schema"] == _ref("order_relay__Page")
    assert responses["422"]["schema"] == _ref("HTTPValidationError")


def test_a_schema_referring_to_a_renamed_one_is_renamed_too() -> None:
    gateway = _doc({}, {"Item": {"type": "integer"}, "List": {"items": _ref("Item")}})
    catalog = _doc(
        {"/api/v1/catalog/p": {"get": {"schema": _ref("List")}}},
        {"Item": {"type": "string"}, "List": {"items": _ref("Item")}},
    )
    merged = public_openapi(gateway, {"catalog-sync": catalog})
    schemas = merged["components"]["schemas"]
    assert schemas["catalog_sync__List"] == {"items": _ref("catalog_sync__Item")}
    assert merged["paths"]["/api/v1/catalog/p"]["get"]["schema"] == _ref("catalog_sync__List")
