"""The ledger check ending every fault experiment: what landed on each platform, and why not.

Every paid, uncancelled order exactly once in Shopify and no unpaid one; one TikTok product per
pushed Shopify product; every dead letter with the error it carries.
"""

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass

import httpx

from connector_devstack.buyers import OrderPlan
from connector_devstack.infra import Infra
from connector_devstack.sandboxes import Merchant
from connector_devstack.services import SERVICES
from connector_devstack.topics import read_to_end


@dataclass(frozen=True)
class OrderLedger:
    """A merchant's planned orders against the Shopify orders carrying their TikTok ids."""

    paid: int
    unpaid: int
    in_shopify: int
    missing: list[str]
    duplicated: list[str]
    unpaid_created: list[str]
    foreign: list[str]

    @property
    def balanced(self) -> bool:
        """Every paid order once, nothing else."""
        return not (self.missing or self.duplicated or self.unpaid_created or self.foreign)

    def line(self) -> str:
        """The ledger in one line."""
        return (
            f"paid={self.paid} unpaid={self.unpaid} in Shopify={self.in_shopify}"
            f" missing={len(self.missing)} duplicated={len(self.duplicated)}"
            f" unpaid created={len(self.unpaid_created)} of other merchants={len(self.foreign)}"
        )


def order_ledger(shopify_url: str, merchant: Merchant, plan: OrderPlan) -> OrderLedger:
    """The ledger as the Shopify sandbox shows it now."""
    url = f"{shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}/orders"
    orders = httpx.get(url, timeout=30).raise_for_status().json()
    every = Counter(o["source_identifier"] for o in orders)
    live = Counter(o["source_identifier"] for o in orders if o["cancelled_at"] is None)
    return OrderLedger(
        paid=len(plan.paid),
        unpaid=len(plan.unpaid),
        in_shopify=len(orders),
        missing=[o for o in plan.paid if live[o] == 0],
        duplicated=sorted(o for o, n in every.items() if n > 1),
        unpaid_created=[o for o in plan.unpaid if live[o]],
        foreign=sorted(set(every) - set(plan.all)),
    )


def settled_order_ledger(
    shopify_url: str, merchant: Merchant, plan: OrderPlan, quiet: float = 120
) -> OrderLedger:
    """The ledger once balanced, or once it stopped changing for `quiet` seconds (stuck)."""
    ledger = order_ledger(shopify_url, merchant, plan)
    last_change = time.monotonic()
    while not ledger.balanced and time.monotonic() - last_change < quiet:
        time.sleep(1)
        now = order_ledger(shopify_url, merchant, plan)
        if now != ledger:
            ledger, last_change = now, time.monotonic()
    return ledger


@dataclass(frozen=True)
class ProductLedger:
    """A merchant's Shopify products against the TikTok products created for them."""

    shopify_products: int
    tiktok_products: int
    unlisted: list[str]
    duplicated: list[str]

    @property
    def balanced(self) -> bool:
        """One TikTok product per Shopify product."""
        return not (self.unlisted or self.duplicated)

    def line(self) -> str:
        """The ledger in one line."""
        return (
            f"Shopify products={self.shopify_products} TikTok products={self.tiktok_products}"
            f" without a TikTok product={len(self.unlisted)} with several={len(self.duplicated)}"
        )


def product_ledger(shopify_url: str, tiktok_url: str, merchant: Merchant) -> ProductLedger:
    """Shopify products by id against TikTok products by `external_product_id` (the same id)."""
    shop = f"{shopify_url}/_sandbox/shops/{merchant.shopify_shop_domain}/products"
    products = httpx.get(shop, params={"limit": 100_000}, timeout=60).raise_for_status().json()
    shopify = [str(p["id"]) for p in products]
    tiktok = httpx.get(f"{tiktok_url}/_sandbox/shops/{merchant.tiktok_shop_id}", timeout=60)
    listed = Counter(p["external_product_id"] for p in tiktok.raise_for_status().json()["products"])
    return ProductLedger(
        shopify_products=len(shopify),
        tiktok_products=sum(listed.values()),
        unlisted=[p for p in shopify if listed[p] == 0],
        duplicated=[p for p in shopify if listed[p] > 1],
    )


@dataclass(frozen=True)
class DeadLetter:
    """One record a service parked on its dead-letter topic, and why."""

    topic: str
    connection_id: str
    error_type: str
    error: str

    def line(self) -> str:
        """The dead letter in one line, its x-error headers included."""
        return f"{self.topic} connection={self.connection_id} {self.error_type}: {self.error}"


def dead_letters(infra: Infra) -> list[DeadLetter]:
    """Every record on the run's `<service>.dead-letter` topics."""
    return [
        _dead_letter(topic, record.value, record.headers)
        for topic in (f"{infra.prefix}{s.name}.dead-letter" for s in SERVICES)
        for record in asyncio.run(read_to_end(infra.broker.bootstrap_servers, topic))
    ]


def _dead_letter(topic: str, body: bytes, headers: dict[str, bytes]) -> DeadLetter:
    try:
        connection_id = str(json.loads(body).get("connection_id", "?"))
    except (ValueError, AttributeError):
        connection_id = "?"  # not an envelope: poison, kept so it is reported
    return DeadLetter(
        topic,
        connection_id,
        headers.get("x-error-type", b"?").decode(errors="replace"),
        headers.get("x-error", b"").decode(errors="replace"),
    )
