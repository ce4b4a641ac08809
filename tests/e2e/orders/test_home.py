"""The Home dashboard (Silk "Connector Overview"): after orders of two buyers went through the
sandboxes, its counts, revenue, top products and top customers are what the sandboxes hold,
the revenue download sums to the revenue shown, a rebuild from the topics gives the same
figures, and a customer's redaction erases the buyer."""

import csv
import io
import json
import uuid
from collections import Counter
from decimal import Decimal
from typing import Any

import httpx
import pytest
from connector_devstack.read_models import rebuild_read_model
from connector_devstack.sandboxes import SHOPIFY_CLIENT_SECRET
from shopify import webhook_hmac

pytestmark = pytest.mark.e2e

Json = dict[str, Any]
ANN = {"buyer_user_id": "7021436810468230477", "buyer_name": "A***n K***g"}
UPS = "6617675021119438850"  # the sandbox's UPS provider id
BEN = {"buyer_user_id": "7021436810468230999", "buyer_name": "B***n M***n"}
MORE = 24  # orders beyond the journey's, half each buyer's


def relayed(order: Json) -> bool:
    return order.get("relay_state") == "relayed"


def home(shop: Any, **params: str) -> Json:
    url = f"{shop.api}/home/{shop.merchant.connection_id}"
    response = shop.http.get(url, params=params)
    assert response.status_code == 200, response.text
    result: Json = response.json()
    return result


def wait_home(shop: Any, done: Any, **params: str) -> Json:
    result: Json = shop.poll(lambda: home(shop, **params), done, 60)
    return result


def line(variant: int, quantity: int, price: str) -> Json:
    """A line of one of the shop's two linked products (each its own TikTok product)."""
    product_id = f"17290000000000000{variant + 1:02d}"
    return {"variant": variant, "quantity": quantity, "price": price, "product_id": product_id}


def place_journey(shop: Any) -> dict[str, str]:
    """Two buyers' orders: one fulfilled, two unfulfilled, one cancelled, one unsynced."""
    shop.put_settings(shipping_provider_map={"UPS": UPS}).raise_for_status()
    orders = {
        "ann_fulfilled": shop.place(line(0, 2, "20.00"), shipping_fee="4.00", **ANN),
        "ann_open": shop.place(line(1, 1, "15.00"), **ANN),
        "ben_open": shop.place(
            line(0, 1, "20.00"),
            line(1, 1, "15.00"),
            tax="2.10",
            **BEN,
        ),
        "ben_cancelled": shop.place(line(1, 1, "15.00"), **BEN),
    }
    for order_id in orders.values():
        assert relayed(shop.wait_order(order_id, relayed)), shop.order(order_id)
    fulfilled = shop.shopify_order(orders["ann_fulfilled"])
    shop.fulfil(fulfilled["admin_graphql_api_id"], "UPS", "1Z999AA10123456784")
    cancelled = shop.shopify_order(orders["ben_cancelled"])
    shop.cancel_in_shopify(cancelled["admin_graphql_api_id"])
    orders["unsynced"] = shop.place({"sku_id": "1729592969712201111", "price": "5.00"}, **BEN)
    done = {
        "ann_fulfilled": lambda o: o["fulfillment_status"] == "fulfilled",
        "ben_cancelled": lambda o: o["relay_state"] == "cancelled",
        "unsynced": lambda o: o["relay_state"] in ("failed", "skipped"),
    }
    for name, check in done.items():
        assert check(shop.wait_order(orders[name], check)), shop.order(orders[name])
    return orders


def place_more(shop: Any, count: int) -> dict[str, str]:
    """`count` more paid orders, alternating between the two buyers: TikTok order id -> buyer."""
    for variant in (0, 1):  # the merchant's stock covers them (5 a variant is seeded)
        shop.set_stock(variant, 10 * count)
    placed = {}
    for i in range(count):
        buyer = (ANN, BEN)[i % 2]
        placed[shop.place(line(i % 2, 1 + i % 3, ("20.00", "15.00")[i % 2]), **buyer)] = buyer
    for order_id in placed:
        assert relayed(shop.wait_order(order_id, relayed)), shop.order(order_id)
    return {order_id: buyer["buyer_user_id"] for order_id, buyer in placed.items()}


def sold_in_shopify(shop: Any) -> list[Json]:
    """The store's orders that were not cancelled: what the dashboard calls sold."""
    return [o for o in shop.shopify_orders() if o["cancelled_at"] is None]


def test_home_figures_are_what_the_sandboxes_hold(shop: Any) -> None:
    orders = place_journey(shop)
    more = place_more(shop, MORE)
    expected_counts = {"fulfilled": 1, "unfulfilled": 2 + MORE, "unsynced": 1, "cancelled": 1}
    shown = wait_home(shop, lambda h: h["orders"] == expected_counts)
    assert shown["orders"] == expected_counts, shown
    assert shown["region"] == "US"

    sold = sold_in_shopify(shop)
    revenue: Counter[str] = Counter()
    for order in sold:
        revenue[order["currency"]] += Decimal(order["total_price"])
    assert {r["currency"]: Decimal(r["amount"]) for r in shown["revenue"]} == dict(revenue)
    assert sum(r["orders"] for r in shown["revenue"]) == len(sold) == 3 + MORE

    [tops] = shown["top"]
    units: Counter[str] = Counter()
    for order in sold:
        for line in order["line_items"]:
            units[line["sku"]] += line["quantity"]
    by_count = home(shop, products_by="count", group_by="sku")["top"][0]["products"]
    assert {p["seller_sku"]: p["quantity"] for p in by_count} == dict(units)
    assert [p["quantity"] for p in by_count] == sorted(units.values(), reverse=True)
    amounts: Counter[str] = Counter()
    for order in sold:
        for item in order["line_items"]:
            amounts[item["sku"]] += Decimal(item["price"]) * item["quantity"]
    by_amount = {p["name"]: Decimal(p["amount"]) for p in tops["products"]}
    assert by_amount == {f"Product {sku}": amount for sku, amount in amounts.items()}

    totals = {o["source_identifier"]: Decimal(o["total_price"]) for o in sold}
    buyer_of = more | {
        orders["ann_fulfilled"]: ANN["buyer_user_id"],
        orders["ann_open"]: ANN["buyer_user_id"],
        orders["ben_open"]: BEN["buyer_user_id"],
    }
    spent: Counter[str] = Counter()
    for order_id, buyer in buyer_of.items():
        spent[buyer] += totals[order_id]
    customers = {c["buyer_id"]: c for c in tops["customers"]}
    ann, ben = customers[ANN["buyer_user_id"]], customers[BEN["buyer_user_id"]]
    assert (ann["orders"], ann["masked_name"]) == (2 + MORE // 2, ANN["buyer_name"])
    assert Decimal(ann["amount"]) == spent[ANN["buyer_user_id"]]
    assert (ben["orders"], Decimal(ben["amount"])) == (1 + MORE // 2, spent[BEN["buyer_user_id"]])

    download = shop.http.get(f"{shop.api}/home/{shop.merchant.connection_id}/revenue.csv")
    assert download.status_code == 200, download.text
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert {r["tiktok_order_id"] for r in rows} == set(totals)
    assert sum(Decimal(r["total"]) for r in rows) == revenue["USD"]

    rebuild_read_model(shop.stack.gateway, "home")
    assert home(shop) == shown


def test_a_period_without_orders_shows_nothing_and_a_reversed_one_is_422(shop: Any) -> None:
    order_id = shop.place(line(0, 1, "20.00"), **ANN)
    shop.wait_order(order_id, relayed)
    wait_home(shop, lambda h: h["orders"]["unfulfilled"] == 1)
    empty = home(shop, **{"from": "2020-01-01", "to": "2020-01-31"})
    assert empty["orders"] == {"fulfilled": 0, "unfulfilled": 0, "unsynced": 0, "cancelled": 0}
    assert empty["revenue"] == empty["top"] == []
    url = f"{shop.api}/home/{shop.merchant.connection_id}"
    reversed_period = shop.http.get(url, params={"from": "2026-02-01", "to": "2026-01-01"})
    assert reversed_period.status_code == 422
    assert shop.http.get(url, params={"region": "FR"}).status_code == 404
    assert shop.http.get(f"{shop.api}/home/conn_unknown").status_code == 404


def test_a_customer_redaction_erases_the_buyer_from_top_customers(shop: Any) -> None:
    first = shop.place(line(0, 1, "20.00"), **ANN)
    second = shop.place(line(1, 1, "15.00"), **ANN)
    other = shop.place(line(1, 1, "15.00"), **BEN)
    for order_id in (first, second, other):
        shop.wait_order(order_id, relayed)
    # All three counted (two customers alone can be Ann's first order and Ben's).
    shown = wait_home(
        shop,
        lambda h: (
            bool(h["top"])
            and len(h["top"][0]["customers"]) == 2
            and sum(r["orders"] for r in h["revenue"]) == 3
        ),
    )
    revenue = shown["revenue"]
    gid = shop.shopify_order(first)["admin_graphql_api_id"]
    body = json.dumps(
        {"customer": {"id": 191167}, "orders_to_redact": [int(gid.rsplit("/", 1)[1])]}
    ).encode()
    posted = httpx.post(
        f"{shop.stack.gateway.url}/webhooks/shopify",
        content=body,
        headers={
            "Content-Type": "application/json",
            "X-Shopify-Hmac-Sha256": webhook_hmac(body, SHOPIFY_CLIENT_SECRET),
            "X-Shopify-Topic": "customers/redact",
            "X-Shopify-Shop-Domain": shop.merchant.shopify_shop_domain,
            "X-Shopify-Webhook-Id": str(uuid.uuid4()),
        },
        timeout=30,
    )
    assert posted.status_code == 200, posted.text
    after = wait_home(shop, lambda h: len(h["top"][0]["customers"]) == 1)
    assert [c["buyer_id"] for c in after["top"][0]["customers"]] == [BEN["buyer_user_id"]]
    assert ANN["buyer_name"] not in json.dumps(after)
    assert after["revenue"] == revenue  # the sales stay, only the buyer goes
