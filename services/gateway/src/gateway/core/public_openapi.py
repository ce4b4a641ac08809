"""One OpenAPI document for the whole public API: the gateway's own routes and, for each
resource the gateway routes on, the owning service's operations (ADR 1000).

The console's typed client is generated from this document, so a contract change in any
service breaks the console's build instead of a merchant's page.
"""

import copy
from collections.abc import Mapping
from typing import Any

from gateway.core.routes import RESOURCE_OWNERS

Document = dict[str, Any]
_REF_PREFIX = "#/components/schemas/"


def public_openapi(gateway: Document, services: Mapping[str, Document]) -> Document:
    """Merge the gateway's document with each owning service's `/api/v1/<resource>` paths.

    Schemas with one name and one shape are kept once; a name two documents give different
    shapes is prefixed with its service (`order_relay__Page`) and every reference follows.
    """
    merged = copy.deepcopy(gateway)
    merged["info"] = {
        "title": "Shopify ⇄ TikTok Shop connector: public API",
        "version": gateway.get("info", {}).get("version", "0"),
        "description": "Every /api/v1 operation a merchant or an automation can call, "
        "whichever service owns it; served by the gateway.",
    }
    paths: dict[str, Any] = merged.setdefault("paths", {})
    schemas: dict[str, Any] = merged.setdefault("components", {}).setdefault("schemas", {})
    for service in sorted(services):
        owned = _owned_paths(service, services[service])
        own_schemas = services[service].get("components", {}).get("schemas", {})
        renames = _clashes(service, own_schemas, schemas)
        for name, shape in own_schemas.items():
            schemas[renames.get(name, name)] = _renamed(shape, renames)
        for path, operations in owned.items():
            paths[path] = _renamed(operations, renames)
    merged["paths"] = dict(sorted(paths.items()))
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    return merged


def _clashes(service: str, own: Mapping[str, Any], kept: Mapping[str, Any]) -> dict[str, str]:
    """New names for `own` schemas whose name `kept` already gives another shape; a schema
    referring to a renamed one differs too, so this repeats until nothing more changes."""
    renames: dict[str, str] = {}
    while True:
        more = {
            name: f"{service.replace('-', '_')}__{name}"
            for name, shape in own.items()
            if name not in renames and name in kept and kept[name] != _renamed(shape, renames)
        }
        if not more:
            return renames
        renames |= more


def _owned_paths(service: str, document: Document) -> dict[str, Any]:
    """The paths of `document` under a resource `service` owns (not its health or metrics)."""
    owned: dict[str, Any] = {}
    for path, operations in document.get("paths", {}).items():
        parts = path.split("/")
        if (
            len(parts) > 3
            and parts[1:3] == ["api", "v1"]
            and RESOURCE_OWNERS.get(parts[3]) == service
        ):
            owned[path] = operations
    return owned


def _renamed(node: Any, renames: Mapping[str, str]) -> Any:
    """A copy of `node` whose schema references follow `renames`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(_REF_PREFIX):
                name = value[len(_REF_PREFIX) :]
                out[key] = _REF_PREFIX + renames.get(name, name)
            else:
                out[key] = _renamed(value, renames)
        return out
    if isinstance(node, list):
        return [_renamed(item, renames) for item in node]
    return node
