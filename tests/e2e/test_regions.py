"""Multi-region connections end to end (issue 9): one Shopify store with two connections, a US
seller's shop and an EU seller whose ES, DE and FR shops are one connection (Add Country/Region);
a Global Product published to DE and FR gets orders in both, each relayed once, tagged with its
market and shop, under its region's order settings; removing FR leaves DE working; the seller
deauthorizing DE disconnects DE only; the store's uninstall reaches both connections."""

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from connector_devstack.polling import poll
from connector_devstack.sandboxes import (
    SHOPIFY_CLIENT_SECRET,
    Merchant,
    Sandboxes,
    add_region_sync,
    connect_merchant_sync,
)
from connector_devstack.services import ServiceProcess
from shopify import webhook_hmac

pytestmark = pytest.mark.e2e

Json = dict[str, Any]
SERVICES_ENV: dict[str, dict[str, str]] = {
    "gateway": {},
    "catalog-sync": {"catalog_image_placeholder": "true", "catalog_push_chunk_size": "50"},
    # Seconds instead of the guide's 10 minutes: an order seen before its SKU links retries soon.
    "order-relay": {"order_retry_interval_seconds": "1", "order_timer_poll_seconds": "0.2"},
}


@pytest.fixture(scope="module")
def gateway(start_module_service: Callable[..., ServiceProcess]) -> ServiceProcess:
    started = {name: start_module_service(name, **env) for name, env in SERVICES_ENV.items()}
    return started["gateway"]


class Store:
    """One Shopify store and the connector's public API, through the gateway."""

    def __init__(self, gateway: ServiceProcess, sandboxes: Sandboxes) -> None:
        self.gateway, self.sandboxes = gateway, sandboxes
        self.domain = f"regions-{uuid.uuid4().hex[:8]}.myshopify.com"
        self.http = httpx.Client(timeout=60)

    def api(
        self, method: str, path: str, body: Any = None, status: int = 200, **params: Any
    ) -> Any:
        response = self.http.request(
            method, f"{self.gateway.url}/api/v1{path}", json=body, params=params
        )
        assert response.status_code == status, response.text
        return response.json()

    def tiktok(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(
            method, f"{self.sandboxes.tiktok_url}/_sandbox{path}", json=body
        )
        return response.raise_for_status().json()

    def shopify(self, method: str, path: str, body: Any = None) -> Any:
        url = f"{self.sandboxes.shopify_url}/_sandbox/shops/{self.domain}{path}"
        return self.http.request(method, url, json=body).raise_for_status().json()

    def shopify_orders(self, tiktok_order_id: str) -> list[Json]:
        return [
            o for o in self.shopify("GET", "/orders") if o["source_identifier"] == tiktok_order_id
        ]

    def connection(self, merchant: Merchant) -> Json:
        return self.api("GET", f"/connections/{merchant.connection_id}")  # type: ignore[no-any-return]

    def wait_task(self, task_id: str) -> Json:
        url = f"/catalog/tasks/{task_id}"
        task: Json = poll(lambda: self.api("GET", url), lambda t: t["status"] != "running", 240)
        assert task["status"] == "completed", task
        return task

    def place(self, shop_id: str, sku: Json) -> str:
        """A buyer orders one unit of a published SKU in one market's shop."""
        line = {"sku_id": sku["id"], "seller_sku": sku["seller_sku"], "price": "20.00",
                "product_name": "Storage Jar", "quantity": 1}  # fmt: skip
        body = {"status": "AWAITING_SHIPMENT", "lines": [line]}
        return str(self.tiktok("POST", f"/shops/{shop_id}/orders", body)["id"])

    def relayed_once(self, tiktok_order_id: str) -> Json:
        """The order's one Shopify order. An order placed while the SKU links of a product
        just published are still on their way fails as unsynced: the merchant retries it."""
        url = f"{self.gateway.url}/api/v1/orders/{tiktok_order_id}"
        settled = poll(lambda: self.http.get(url), lambda r: r.status_code == 200
                       and r.json()["relay_state"] in ("relayed", "failed"), 120).json()  # fmt: skip
        if settled["failure_code"] == "unsynced_products":
            self.api("POST", f"/orders/{tiktok_order_id}/retry", status=202)
        found = poll(lambda: self.shopify_orders(tiktok_order_id), lambda o: len(o) >= 1, 120)
        assert len(found) == 1, found
        return found[0]  # type: ignore[no-any-return]


def publish_global_product(store: Store, eu: Merchant, regions: list[str]) -> dict[str, str]:
    """Pull the store's one product into the EU connection's Global Products, sync it as a
    global product and publish it to `regions`; returns the TikTok product id per region."""
    catalog = f"/catalog/{eu.connection_id}"
    poll(lambda: store.http.get(f"{store.gateway.url}/api/v1{catalog}/settings").status_code,
         lambda s: s == 200, 60)  # fmt: skip
    store.shopify("POST", "/seed", {
        "products": 1, "variants_per_product": 1, "product_types": ["Storage Jar"], "seed": 91,
        "stock_min": 5, "stock_max": 9, "missing_product_type_ratio": 0,
        "missing_images_ratio": 0, "long_title_ratio": 0, "duplicate_sku_ratio": 0,
    })  # fmt: skip
    store.api("PUT", f"{catalog}/settings", {"listing": {"package": {"weight": 1}}})
    store.wait_task(store.api("POST", f"{catalog}/global/pull", {}, 202)["task_id"])
    store.wait_task(
        store.api("POST", f"{catalog}/global/sync", {"all_products": True}, 202)["task_id"]
    )
    (product,) = store.api("GET", f"{catalog}/global/products")["products"]
    body = {"product_ids": [product["shopify_product_id"]], "regions": regions,
            "translation_consent": True}  # fmt: skip
    store.wait_task(store.api("POST", f"{catalog}/global/publish", body, 202)["task_id"])
    (published,) = store.api("GET", f"{catalog}/global/products")["products"]
    return {r: p["product_id"] for r, p in published["published"].items()}


def catalog_settings_are_per_region_but_the_package(store: Store, eu: Merchant) -> None:
    """DE's product settings are its own; the package defaults are every region's; a market
    the connection has no shop in is a 404 with the reason."""
    path = f"/catalog/{eu.connection_id}/settings"
    url = f"{store.gateway.url}/api/v1{path}"
    # catalog-sync has FR, the last region added (its replica follows connection.changed).
    poll(lambda: store.http.get(url, params={"region": "FR"}).status_code,
         lambda s: s == 200, 60)  # fmt: skip
    store.api("PUT", path, {"listing": {"package": {"weight": 2, "length": 9}}})
    rules = {"update": {"title": "tiktok"}}
    store.api("PUT", path, {"sync_rules": rules, "listing": {"brand_id": "B-DE"}}, region="DE")
    store.api("PUT", path, {"listing": {"package": {"weight": 3}}}, region="FR")
    de, es = store.api("GET", path, region="de"), store.api("GET", path)
    assert (de["sync_rules"]["update"], de["listing"]["brand_id"]) == (rules["update"], "B-DE")
    assert (es["sync_rules"]["update"], es["listing"]["brand_id"]) == ({}, None)
    assert de["listing"]["package"] == es["listing"]["package"]
    assert (es["listing"]["package"]["weight"], es["listing"]["package"]["length"]) == (3, 9)
    unknown = store.http.get(f"{store.gateway.url}/api/v1{path}", params={"region": "IT"})
    assert unknown.status_code == 404
    assert "IT is not a region of" in unknown.json()["detail"]


def test_one_store_two_sellers_eu_regions_relay_their_orders_and_part_one_by_one(
    gateway: ServiceProcess, sandboxes: Sandboxes
) -> None:
    store = Store(gateway, sandboxes)
    us = connect_merchant_sync(gateway.url, sandboxes, name="US seller",
                               shopify_shop_domain=store.domain, region="US")  # fmt: skip
    eu = connect_merchant_sync(gateway.url, sandboxes, name="EU seller",
                               shopify_shop_domain=store.domain, region="ES", new_store=False)  # fmt: skip
    de = add_region_sync(gateway.url, sandboxes, eu, "DE")
    fr = add_region_sync(gateway.url, sandboxes, eu, "FR")
    assert (de.response.status_code, fr.response.status_code) == (200, 200), fr.response.text
    other_seller = add_region_sync(gateway.url, sandboxes, eu, "IT", same_seller=False)
    assert other_seller.response.status_code == 409
    assert "same TikTok seller ID" in other_seller.response.json()["detail"]

    view = store.connection(eu)
    assert view["status"] == "active"
    assert [(r["region"], r["default"]) for r in view["regions"]] == [
        ("ES", True), ("DE", False), ("FR", False)
    ]  # fmt: skip
    both = [c for c in store.api("GET", "/connections") if c["shopify_shop_domain"] == store.domain]
    assert {c["connection_id"]: c["status"] for c in both} == {
        us.connection_id: "active", eu.connection_id: "active"
    }  # fmt: skip

    # FR orders are paid another way than the connection's other regions (per-region settings).
    # order-relay learns of FR from connection.changed: until its replica has it, FR is unknown.
    settled = poll(
        lambda: store.http.put(
            f"{gateway.url}/api/v1/order-settings/{eu.connection_id}",
            json={"payment_method": "FR Pay"},
            params={"region": "FR"},
        ),
        lambda r: r.status_code == 200,
    )
    assert settled.status_code == 200, settled.text
    assert (
        store.api("GET", f"/order-settings/{eu.connection_id}", region="DE")["payment_method"]
        == "TikTokPAY"
    )

    catalog_settings_are_per_region_but_the_package(store, eu)

    products = publish_global_product(store, eu, ["DE", "FR"])
    sku = {r: store.tiktok("GET", f"/products/{p}")["skus"][0] for r, p in products.items()}
    orders = {"DE": store.place(de.shop_id, sku["DE"]), "FR": store.place(fr.shop_id, sku["FR"])}
    for region, added in (("DE", de), ("FR", fr)):
        relayed = store.relayed_once(orders[region])
        tags = (
            [t.strip() for t in relayed["tags"].split(",")]
            if isinstance(relayed["tags"], str)
            else relayed["tags"]
        )
        assert f"TikTok Shop {region}" in tags, tags
        assert f"TikTok shop {added.shop_id}" in tags, tags
        gateways = {t["gateway"] for t in relayed["transactions"]}
        assert gateways == {"FR Pay" if region == "FR" else "TikTokPAY"}, relayed["transactions"]
    listed = store.api("GET", "/orders", connection_id=eu.connection_id, region="DE")
    assert [o["tiktok_order_id"] for o in listed["orders"]] == [orders["DE"]]
    assert listed["counts"]["total"] == 1

    # A region already there is not added twice; a connection's only region stays.
    store.api("POST", f"/connections/{eu.connection_id}/regions", {"region": "DE"}, status=409)
    only = store.api("DELETE", f"/connections/{us.connection_id}/regions/US", status=409)
    assert "keeps at least one" in only["detail"]

    # Removing FR: its shop leaves the connection; DE keeps relaying.
    after = store.api("DELETE", f"/connections/{eu.connection_id}/regions/FR")
    assert [r["region"] for r in after["regions"]] == ["ES", "DE"]
    late_fr = store.place(fr.shop_id, sku["FR"])
    late_de = store.place(de.shop_id, sku["DE"])
    assert "TikTok Shop DE" in store.relayed_once(late_de)["tags"]
    assert store.shopify_orders(late_fr) == []
    assert store.api("GET", "/orders", connection_id=eu.connection_id, region="FR", status=404)

    # The seller deauthorizes DE's shop: DE only is disconnected.
    store.tiktok("POST", f"/shops/{de.shop_id}/deauthorize")
    view = poll(lambda: store.connection(eu),
                lambda v: {r["region"]: r["status"] for r in v["regions"]}.get("DE") == "deauthorized", 60)  # fmt: skip
    assert view["status"] == "active"
    assert {r["region"]: r["status"] for r in view["regions"]} == {
        "ES": "authorized",
        "DE": "deauthorized",
    }
    assert "deauthorized the app" in (view["authorization_problem"] or "")
    assert store.connection(us)["status"] == "active"

    # The store uninstalls the app: Shopify's one webhook reaches both of its connections.
    body = b'{"id": 1}'
    uninstall = store.http.post(f"{gateway.url}/webhooks/shopify", content=body, headers={
        "X-Shopify-Hmac-Sha256": webhook_hmac(body, SHOPIFY_CLIENT_SECRET),
        "X-Shopify-Topic": "app/uninstalled", "X-Shopify-Shop-Domain": store.domain,
        "X-Shopify-Webhook-Id": f"w-{uuid.uuid4().hex}",
    })  # fmt: skip
    assert uninstall.status_code == 200
    assert [store.connection(m)["status"] for m in (us, eu)] == ["disconnected", "disconnected"]


def test_two_connections_of_one_store_pulling_at_once_take_turns_or_share_the_export(
    gateway: ServiceProcess, sandboxes: Sandboxes
) -> None:
    """Shopify runs one bulk query per app and store (before 2026-01; five since, and a store
    whose other slots are taken is the same case). Two connections of the store pull at once:
    different queries take turns (the second waits in line, says why, and runs when the first
    export ends); the same query shares one export (ADR 0370). Both catalogs are complete."""
    store = Store(gateway, sandboxes)
    us = connect_merchant_sync(gateway.url, sandboxes, name="US puller",
                               shopify_shop_domain=store.domain, region="US")  # fmt: skip
    eu = connect_merchant_sync(gateway.url, sandboxes, name="EU puller",
                               shopify_shop_domain=store.domain, region="ES", new_store=False)  # fmt: skip
    seeded = store.shopify("POST", "/seed", {"products": 6, "variants_per_product": 2, "seed": 9})
    wanted = set(seeded["product_ids"])

    def pull_at_once(windows: dict[str, Json]) -> dict[str, str]:
        # One slot, the export held RUNNING: both pulls meet it, whatever the machine's speed.
        store.shopify("PUT", "/bulk", {"max_concurrent": 1, "held": True})
        return {
            c: store.api("POST", f"/catalog/{c}/pull", body, 202)["task_id"]
            for c, body in windows.items()
        }

    def details(tasks: dict[str, str]) -> list[str]:
        return sorted(
            store.api("GET", f"/catalog/tasks/{t}").get("detail") or "" for t in tasks.values()
        )

    def release_and_check(tasks: dict[str, str]) -> None:
        held = store.shopify("PUT", "/bulk", {"max_concurrent": 1, "held": True})
        assert len(held["running"]) == 1  # one Shopify export at a time for the store
        store.shopify("PUT", "/bulk", {"max_concurrent": 1, "held": False})
        for task_id in tasks.values():
            store.wait_task(task_id)
        for connection_id in tasks:
            page = store.api("GET", f"/catalog/{connection_id}/products", limit=500)
            assert {p["shopify_product_id"] for p in page["products"]} == wanted, connection_id
            assert page["total"] == len(wanted)

    # Different queries (a window on one): the second waits in line for the store's slot.
    since = {"updated_from": "2020-01-01T00:00:00Z"}
    tasks = pull_at_once({us.connection_id: {}, eu.connection_id: since})
    _, waiting = poll(lambda: details(tasks), lambda d: d[0] == "Shopify is preparing the export"
                      and d[1].startswith("Waiting for Shopify"), 120)  # fmt: skip
    assert "another bulk export of this store is running" in waiting, waiting
    release_and_check(tasks)

    # The same query: the second pull waits on the export already running, no second one.
    tasks = pull_at_once({us.connection_id: {}, eu.connection_id: {}})
    poll(lambda: details(tasks), lambda d: d == ["Shopify is preparing the export"] * 2, 120)
    release_and_check(tasks)
