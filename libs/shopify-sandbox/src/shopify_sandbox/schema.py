"""The versioned GraphQL schema: SDL subset plus resolvers, scalars and type resolution."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_schema

from shopify_sandbox import (
    bulk_api,
    catalog_api,
    collections_api,
    fulfillment_api,
    inventory_api,
    metafields_api,
    orders_api,
    refunds_api,
    webhooks_api,
)
from shopify_sandbox.resolving import Info, Resolvers, ctx

_MARK = re.compile(r"#(since|until):(\d{4}-\d{2})\s*$")
# Record classes whose name differs from their GraphQL type.
_TYPE_NAMES = {"OrderLineItem": "LineItem", "FulfillmentOrderLine": "FulfillmentOrderLineItem"}


def _sdl_for(version: str) -> str:
    """The SDL with version-gated lines kept or dropped (`unstable` is the newest)."""
    newest = "9999-99" if version == "unstable" else version
    kept = []
    for line in files("shopify_sandbox").joinpath("admin.graphql").read_text().splitlines():
        mark = _MARK.search(line)
        if mark and (newest < mark[2] if mark[1] == "since" else newest >= mark[2]):
            continue
        kept.append(line)
    return "\n".join(kept)


def _version_key(version: str) -> str:
    """Versions with identical schemas share one built schema."""
    if version == "unstable" or version >= "2026-04":
        return "2026-04"
    return "2026-01" if version >= "2026-01" else "2025-10"


def schema_for(version: str) -> GraphQLSchema:
    """The schema served for an API version."""
    return _build(_version_key(version))


@cache
def _build(version: str) -> GraphQLSchema:
    schema = build_schema(_sdl_for(version))
    _scalars(schema)
    resolvers: Resolvers = {
        **catalog_api.RESOLVERS,
        **collections_api.RESOLVERS,
        **inventory_api.RESOLVERS,
        **metafields_api.RESOLVERS,
        **orders_api.RESOLVERS,
        **refunds_api.RESOLVERS,
        **fulfillment_api.RESOLVERS,
        **bulk_api.RESOLVERS,
        **webhooks_api.RESOLVERS,
        ("QueryRoot", "node"): _node,
        ("QueryRoot", "nodes"): lambda _, info, ids: [_node(None, info, i) for i in ids],
    }
    for (type_name, field_name), resolver in resolvers.items():
        schema.type_map[type_name].fields[field_name].resolve = resolver  # type: ignore[attr-defined]
    for interface in ("Node", "Media"):
        schema.type_map[interface].resolve_type = _type_name  # type: ignore[attr-defined]
    return schema


def _type_name(value: Any, *_: Any) -> str:
    name = type(value).__name__
    return _TYPE_NAMES.get(name, name)


def _node(_: Any, info: Info, id: str) -> Any:
    shop = ctx(info).shop
    kind = id.split("/")[3] if id.count("/") >= 4 else ""
    if kind == "Metafield":  # held by their products, looked up only when asked for
        found = (m for p in list(shop.products.values()) for m in p.metafield_list if m.id == id)
        return next(found, None)
    tables: dict[str, Any] = {
        "Product": shop.products,
        "Collection": shop.collections,
        "ProductVariant": shop.variants,
        "InventoryItem": shop.items,
        "Location": shop.locations,
        "Order": shop.orders,
        "FulfillmentOrder": shop.fulfillment_orders,
        "Refund": shop.refunds,
        "WebhookSubscription": shop.subscriptions,
        "BulkOperation": {op.id: op for op in shop.bulk_operations},
    }
    return tables.get(kind, {}).get(id)


def _decimal(value: Any) -> Decimal:
    try:
        parsed = Decimal(str(value))
    except InvalidOperation as exc:
        raise GraphQLError(f"Invalid decimal: {value!r}") from exc
    if not parsed.is_finite():
        raise GraphQLError(f"Invalid decimal: {value!r}")
    return parsed


def _datetime(value: Any) -> datetime:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise GraphQLError(f"Invalid DateTime: {value!r}") from exc


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def _scalars(schema: GraphQLSchema) -> None:
    setters: dict[str, tuple[Any, Any]] = {
        "Decimal": (lambda v: str(v), _decimal),
        "Money": (lambda v: f"{Decimal(str(v)):.2f}", _decimal),
        "DateTime": (_iso, _datetime),
        "URL": (str, str),
        "UnsignedInt64": (str, int),
    }
    for name, (serialize, parse_value) in setters.items():
        scalar: Any = schema.type_map[name]
        # graphql-core 3.3 reads coerce_*; older releases read serialize/parse_value.
        scalar.serialize = scalar.coerce_output_value = serialize
        scalar.parse_value = scalar.coerce_input_value = parse_value
        scalar.parse_literal = lambda node, _vars=None, p=parse_value: p(
            getattr(node, "value", None)
        )
