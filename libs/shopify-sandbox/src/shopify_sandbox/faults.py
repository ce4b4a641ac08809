"""Fault injection: per operation or path, with a probability and an optional count."""

from __future__ import annotations

import fnmatch
import random
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

FaultKind = Literal["throttled", "http_error", "timeout", "latency", "commit_then_drop"]


class FaultRule(BaseModel):
    """One injected fault.

    `throttled` answers THROTTLED without executing; `http_error` answers `status` (default 503)
    without executing; `timeout` waits `delay_seconds` then answers 504 without executing;
    `latency` waits `delay_seconds` then executes normally; `commit_then_drop` executes and
    commits, then waits `delay_seconds` and answers `status` (default 504): the ambiguous case.
    """

    kind: FaultKind
    operation: str | None = Field(
        None, description="Root field or operation name, e.g. orderCreate"
    )
    path: str | None = Field(None, description="Glob on the request path, e.g. */graphql.json")
    shop: str | None = None
    probability: float = Field(1.0, ge=0.0, le=1.0)
    times: int | None = Field(None, description="Fire at most this many times (None = forever).")
    status: int | None = None
    delay_seconds: float = 0.0
    fired: int = 0


class WebhookFaults(BaseModel):
    """Delivery faults for one shop."""

    duplicate_probability: float = Field(0.0, ge=0.0, le=1.0)
    drop_probability: float = Field(0.0, ge=0.0, le=1.0)
    reorder_window_seconds: float = Field(
        0.0, ge=0.0, description="Each delivery waits a random 0..window, so order shuffles."
    )


@dataclass
class FaultBook:
    """The active rules and a seeded random source (same seed, same faults)."""

    seed: int = 0
    rules: list[FaultRule] = field(default_factory=list)
    webhook: dict[str, WebhookFaults] = field(default_factory=dict)
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.rng.seed(self.seed)

    def pick(
        self, shop: str, operations: set[str], path: str, *, named_only: bool = False
    ) -> FaultRule | None:
        """The first rule that matches this request and fires now. With `named_only`, only rules
        naming an operation or a path apply (the token endpoint: rules written for GraphQL calls
        without either keep applying to GraphQL calls only)."""
        for rule in self.rules:
            if named_only and rule.operation is None and rule.path is None:
                continue
            if not _matches(rule, shop, operations, path):
                continue
            if rule.times is not None and rule.fired >= rule.times:
                continue
            if self.rng.random() < rule.probability:
                rule.fired += 1
                return rule
        return None

    def webhook_faults(self, shop: str) -> WebhookFaults:
        """Delivery faults of `shop` (none by default)."""
        return self.webhook.get(shop, WebhookFaults())

    def chance(self, probability: float) -> bool:
        """A seeded coin flip."""
        return probability > 0 and self.rng.random() < probability


def _matches(rule: FaultRule, shop: str, operations: set[str], path: str) -> bool:
    if rule.shop is not None and rule.shop != shop:
        return False
    if rule.operation is not None and rule.operation not in operations:
        return False
    return rule.path is None or fnmatch.fnmatch(path, rule.path)
