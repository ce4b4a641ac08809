"""A subset of Shopify's search syntax: `field:value`, comparators, quoted values (B3)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

_TERM = re.compile(r"^(?P<field>[a-z_]+):(?P<op><=|>=|<|>)?(?P<value>.*)$")


@dataclass(frozen=True)
class Term:
    """One `field:opvalue` term; a bare word is a `title`/default-field term."""

    field: str
    op: str
    value: str


def parse(query: str | None) -> list[Term]:
    """Terms of a query; `AND` is implicit and dropped (OR is not supported)."""
    if not query:
        return []
    terms = []
    for token in shlex.split(query):
        if token.upper() == "AND":
            continue
        match = _TERM.match(token)
        if match:
            terms.append(Term(match["field"], match["op"] or "=", match["value"].strip("'\"")))
        else:
            terms.append(Term("default", "=", token))
    return terms


def matches(terms: list[Term], fields: Mapping[str, Callable[[], Any]]) -> bool:
    """True when every term holds; terms on unknown fields are ignored as Shopify does."""
    return all(_holds(t, fields[t.field]()) for t in terms if t.field in fields)


def _holds(term: Term, actual: Any) -> bool:
    if isinstance(actual, list):
        return any(_holds(term, a) for a in actual)
    if isinstance(actual, datetime):
        expected: Any = datetime.fromisoformat(term.value.replace("Z", "+00:00"))
        if expected.tzinfo is None:
            expected = expected.replace(tzinfo=UTC)
    else:
        actual, expected = str(actual if actual is not None else "").lower(), term.value.lower()
    if term.op == "=":
        prefix = isinstance(actual, str) and expected.endswith("*")
        return bool(actual == expected or (prefix and actual.startswith(expected[:-1])))
    outcome = {
        ">": actual > expected,
        ">=": actual >= expected,
        "<": actual < expected,
        "<=": actual <= expected,
    }[term.op]
    return bool(outcome)
