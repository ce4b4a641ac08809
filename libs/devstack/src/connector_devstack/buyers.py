"""TikTok buyers placing orders in the sandbox, which sends the webhooks as TikTok would."""

import random
import threading
import time
from dataclasses import dataclass, field

import httpx

from connector_devstack.linked_catalog import LinkedVariant


@dataclass(frozen=True)
class OrderPlan:
    """The orders one test places: paid ones must reach Shopify once, unpaid ones never."""

    paid: list[str]
    unpaid: list[str]

    @property
    def all(self) -> list[str]:
        """Every order id, in the order they are placed."""
        return sorted(self.paid + self.unpaid)

    def __add__(self, other: "OrderPlan") -> "OrderPlan":
        return OrderPlan(self.paid + other.paid, self.unpaid + other.unpaid)


def plan_orders(count: int, unpaid_every: int = 10, seed: int | None = None) -> OrderPlan:
    """`count` order ids unique to this run; one in `unpaid_every` stays unpaid."""
    base = 5_700_000_000_000_000_000 + random.Random(seed).randrange(10**12) * 10**6
    ids = [str(base + i) for i in range(count)]
    unpaid = ids[::unpaid_every]
    return OrderPlan([i for i in ids if i not in set(unpaid)], unpaid)


@dataclass
class Buyers:
    """Places a plan's orders at a steady pace in a thread; `failures` lists refused ones."""

    tiktok_url: str
    shop_id: str
    skus: list[LinkedVariant]
    plan: OrderPlan
    pace: float = 0.0
    placed: int = 0
    failures: list[str] = field(default_factory=list)
    _thread: threading.Thread | None = None

    def start(self) -> "Buyers":
        """Begin placing orders in the background."""
        self._thread = threading.Thread(target=self._place_all, daemon=True)
        self._thread.start()
        return self

    def join(self) -> None:
        """Wait until every order was placed."""
        if self._thread is not None:
            self._thread.join()

    def _place_all(self) -> None:
        unpaid = set(self.plan.unpaid)
        with httpx.Client(base_url=f"{self.tiktok_url}/_sandbox", timeout=30) as http:
            for index, order_id in enumerate(self.plan.all):
                status = "UNPAID" if order_id in unpaid else "AWAITING_SHIPMENT"
                self._place(http, order_id, status, self.skus[index % len(self.skus)])
                time.sleep(self.pace)

    def _place(self, http: httpx.Client, order_id: str, status: str, sku: LinkedVariant) -> None:
        line = {"sku_id": sku.tiktok_sku_id, "seller_sku": sku.sku, "price": sku.price}
        placed = http.post(
            f"/shops/{self.shop_id}/orders",
            json={"order_id": order_id, "status": status, "shipping_fee": "4.99", "lines": [line]},
        )
        if placed.status_code != 200:
            self.failures.append(f"{order_id}: {placed.status_code} {placed.text[:100]}")
        self.placed += 1
