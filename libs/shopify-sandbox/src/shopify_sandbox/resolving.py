"""Shared resolver plumbing: default field resolution, user errors, money, idempotency keys."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any, TypeAlias

from graphql import GraphQLError, GraphQLResolveInfo, get_directive_values

from shopify_sandbox.shop import IdempotentResult
from shopify_sandbox.state import Context

Info: TypeAlias = "GraphQLResolveInfo[Context]"
Resolver = Callable[..., Any]
Resolvers = dict[tuple[str, str], Resolver]


@cache
def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def field_resolver(source: Any, info: Info, **_: Any) -> Any:
    """Dict keys as-is; record attributes by the snake_case of the field name."""
    if isinstance(source, dict):
        return source.get(info.field_name)
    return getattr(source, _snake(info.field_name), None)


def ctx(info: Info) -> Context:
    """The request context."""
    context: Context = info.context
    return context


def user_error(field: list[str] | None, message: str, code: str | None = None) -> dict[str, Any]:
    """One `userErrors` entry."""
    return {"field": field, "message": message, "code": code}


def money_bag(amount: Decimal, currency: str) -> dict[str, Any]:
    """A MoneyBag with the same amount in shop and presentment currency."""
    money = {"amount": amount, "currencyCode": currency}
    return {"shopMoney": money, "presentmentMoney": money}


def bag_amount(bag: dict[str, Any] | None) -> Decimal:
    """The shop amount of a MoneyBagInput (0 when absent)."""
    return Decimal(str(bag["shopMoney"]["amount"])) if bag else Decimal(0)


def idempotency_key(info: Info, required: bool) -> str | None:
    """The `@idempotent(key:)` on this field; mandatory for some mutations from 2026-04 (B6)."""
    directive = info.schema.get_directive("idempotent")
    assert directive is not None
    values = get_directive_values(directive, info.field_nodes[0], info.variable_values)
    key = values.get("key") if values else None
    if key is None and required:
        raise GraphQLError(
            f"The @idempotent directive is required for {info.field_name} in this API version."
        )
    return str(key) if key is not None else None


def idempotent(
    info: Info,
    args: dict[str, Any],
    run: Callable[[], dict[str, Any]],
    mismatch: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Run a mutation once per idempotency key; replays return the first payload."""
    context = ctx(info)
    required = context.version == "unstable" or context.version >= "2026-04"
    key = idempotency_key(info, required)
    if key is None:
        return run()
    fingerprint = json.dumps([info.field_name, args], sort_keys=True, default=str)
    seen = context.shop.idempotency.get(key)
    if seen is not None:
        return seen.payload if seen.fingerprint == fingerprint else mismatch()
    payload = run()
    context.shop.idempotency[key] = IdempotentResult(fingerprint, payload)
    return payload


def find(mapping: dict[str, Any], gid: str | None, kind: str) -> Any:
    """A record by gid or a GraphQL error naming the missing id."""
    record = mapping.get(gid or "")
    if record is None:
        raise GraphQLError(f"Invalid id: {gid} ({kind} not found)")
    return record
