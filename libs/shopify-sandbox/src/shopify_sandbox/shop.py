"""One simulated shop: its catalog, stock, orders, subscriptions, tokens and buckets."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from shopify_sandbox.plans import LeakyBucket, Plan
from shopify_sandbox.records import (
    BulkOperation,
    Collection,
    FulfillmentOrder,
    InventoryItem,
    Location,
    Order,
    Product,
    ProductVariant,
    Refund,
    WebhookSubscription,
)


@dataclass
class IdempotentResult:
    """What a mutation with an `@idempotent` key returned the first time."""

    fingerprint: str
    payload: Any


@dataclass
class Shop:
    """All state of one `name.myshopify.com` shop."""

    domain: str
    plan: Plan
    currency: str = "USD"
    name: str = ""
    locations: dict[str, Location] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    collections: dict[str, Collection] = field(default_factory=dict)
    variants: dict[str, ProductVariant] = field(default_factory=dict)
    items: dict[str, InventoryItem] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    fulfillment_orders: dict[str, FulfillmentOrder] = field(default_factory=dict)
    refunds: dict[str, Refund] = field(default_factory=dict)
    bulk_operations: list[BulkOperation] = field(default_factory=list)
    # Control-plane knobs: bulk slots of the store (None: the API version's, B4), and exports
    # held RUNNING until released (a big store's export, made deterministic for tests).
    bulk_max_concurrent: int | None = None
    bulk_held: bool = False
    bulk_released: asyncio.Event = field(default_factory=asyncio.Event)
    subscriptions: dict[str, WebhookSubscription] = field(default_factory=dict)
    installed_apps: set[str] = field(default_factory=set)
    idempotency: dict[str, IdempotentResult] = field(default_factory=dict)
    buckets: dict[str, LeakyBucket] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1001))
    _order_numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1001))

    def new_gid(self, kind: str) -> str:
        """A fresh gid; numbering is per shop so a seeded catalog is reproducible."""
        return f"gid://shopify/{kind}/{next(self._ids)}"

    def next_order_number(self) -> int:
        """The next order number (#1001, #1002, ...)."""
        return next(self._order_numbers)

    def bucket(self, client_id: str) -> LeakyBucket:
        """The cost bucket of one app on this shop (buckets are per app and store, B3)."""
        if client_id not in self.buckets:
            self.buckets[client_id] = LeakyBucket(self.plan)
        return self.buckets[client_id]

    def set_plan(self, plan: Plan) -> None:
        """Switch plan; existing buckets start afresh."""
        self.plan = plan
        self.buckets.clear()

    @property
    def primary_location(self) -> Location:
        """The first location."""
        return next(iter(self.locations.values()))

    def add_location(self, name: str) -> Location:
        """Create a location."""
        location = Location(id=self.new_gid("Location"), name=name)
        self.locations[location.id] = location
        return location
