"""One task list per connection and region: a catalog pull, a catalog push and a missed-order
sync, each run by its own service, appear in the gateway's list with the outcome counts their
owner shows, and its stream (server-sent events) tells of each as it runs and ends; Home counts the products per sync status as catalog-sync and the TikTok sandbox
hold them; rebuilding the list and Home from their topics gives the same rows and figures."""

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from connector_devstack.polling import poll
from connector_devstack.read_models import rebuild_read_model
from connector_devstack.sandboxes import Merchant, Sandboxes
from connector_devstack.services import ServiceProcess

pytestmark = pytest.mark.e2e

Json = dict[str, Any]
SEED = {
    "products": 12,
    "variants_per_product": 1,
    "seed": 3,
    "product_types": ["Candle"],
    "missing_product_type_ratio": 0.25,  # some pushes fail, with a reason
    "missing_images_ratio": 0,
    "long_title_ratio": 0,
    "duplicate_sku_ratio": 0,
}


class World:
    """A connected merchant with gateway, catalog-sync and order-relay running."""

    def __init__(self, gateway: ServiceProcess, merchant: Merchant, sandboxes: Sandboxes):
        self.gateway, self.merchant, self.sandboxes = gateway, merchant, sandboxes
        self.http = httpx.Client(base_url=f"{gateway.url}/api/v1", timeout=60)
        self.catalog = f"/catalog/{merchant.connection_id}"

    def call(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code == status, response.text
        return response.json()

    def catalog_task(self, body: Json, action: str) -> Json:
        """Start a catalog task and wait until catalog-sync ends it."""
        task_id = self.call("POST", f"{self.catalog}/{action}", 202, json=body)["task_id"]
        return poll(  # type: ignore[no-any-return]
            lambda: self.call("GET", f"/catalog/tasks/{task_id}"),
            lambda t: t["status"] != "running",
            180,
        )

    def listed(self, task: Json) -> Json:
        """The task as the list shows it, once it shows the owner's final counts."""
        cid = self.merchant.connection_id
        # A 404 until the task's first `task.changed` reaches the gateway's read model.
        seen = poll(
            lambda: self.http.get(f"/tasks/{task['task_id']}"),
            lambda r: (
                r.status_code == 200
                and r.json()["connection_id"] == cid
                and r.json()["status"] == task["status"]
            ),
            60,
        )
        assert seen.status_code == 200, seen.text
        return seen.json()  # type: ignore[no-any-return]

    def page(self, **params: Any) -> Json:
        return self.call(  # type: ignore[no-any-return]
            "GET", "/tasks", params={"connection_id": self.merchant.connection_id, **params}
        )


class TaskStream:
    """The task list's server-sent events for one connection, read in the background."""

    def __init__(self, world: World) -> None:
        self.pages: list[Json] = []
        self.content_type = ""
        self._http = httpx.Client(base_url=world.http.base_url, timeout=httpx.Timeout(30, read=60))
        params = {"connection_id": world.merchant.connection_id}
        self._reader = threading.Thread(target=self._read, args=(params,), daemon=True)
        self._reader.start()

    def _read(self, params: Json) -> None:
        try:
            with self._http.stream("GET", "/tasks/stream", params=params) as response:
                self.content_type = response.headers.get("content-type", "")
                data: list[str] = []
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        data.append(line.removeprefix("data: "))
                    elif line == "" and data:
                        self.pages.append(json.loads("".join(data)))
                        data = []
        except (httpx.HTTPError, RuntimeError):
            return  # closed by the test

    def states(self, task_id: str) -> list[Json]:
        """The task's row in each page the stream sent, oldest first."""
        return [t for page in list(self.pages) for t in page["tasks"] if t["task_id"] == task_id]

    def close(self) -> None:
        self._http.close()


def test_pull_push_and_missed_order_sync_share_one_list_with_their_outcome_counts(
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
    sandboxes: Sandboxes,
) -> None:
    gateway = start_service("gateway")
    start_service("catalog-sync", catalog_image_placeholder="true", catalog_push_chunk_size="5")
    start_service("order-relay")
    world = World(gateway, connect_merchant(gateway), sandboxes)
    cid, domain = world.merchant.connection_id, world.merchant.shopify_shop_domain
    shopify = f"{sandboxes.shopify_url}/_sandbox/shops/{domain}"
    httpx.post(f"{shopify}/seed", json=SEED, timeout=120).raise_for_status()
    poll(lambda: world.http.get(f"{world.catalog}/settings").status_code, lambda s: s == 200, 60)
    world.call("PUT", f"{world.catalog}/settings", json={"listing": {"package": {"weight": 1}}})
    stream = TaskStream(world)
    assert poll(lambda: len(stream.pages), bool, 30) == 1  # the list at once (empty)
    assert stream.pages[0]["tasks"] == []
    assert stream.content_type.startswith("text/event-stream")

    pull = world.catalog_task({"updated_from": "2020-01-01T00:00:00Z"}, "pull")
    material = [{"attribute_id": "101001", "value_ids": ["1010012"]}]  # Candle requires it
    world.call(
        "PUT", f"{world.catalog}/categories/Candle", json={"listing": {"attributes": material}}
    )
    push = world.catalog_task({"all_products": True}, "push")
    assert push["failed"] > 0, push  # both outcomes are counted
    assert push["done"] > 0, world.call("GET", f"{world.catalog}/products")
    products = home_products_match(world, sandboxes, push)
    sync = missed_order_sync(world, sandboxes)

    listed_pull, listed_push = world.listed(pull), world.listed(push)
    listed_sync = world.listed(sync)
    assert (listed_pull["done"], listed_pull["failed"], listed_pull["total"]) == (
        pull["done"],
        pull["failed"],
        pull["total"],
    )
    assert (listed_push["done"], listed_push["failed"], listed_push["total"]) == (
        push["done"],
        push["failed"],
        push["total"],
    )
    assert (listed_pull["region"], listed_push["region"], listed_sync["region"]) == (
        None,
        "US",
        "US",
    )
    assert sum(r["count"] for r in listed_push["reasons"]) == push["failed"]
    streamed_while_running(stream, listed_push)
    assert all(item["reason"] for item in listed_push["items"])
    assert listed_sync["type"] == "order_sync"
    assert (listed_sync["done"], listed_sync["total"]) == (
        sync["queued"] + sync["already_synced"],
        sync["found"],
    )
    assert sync["found"] == 1

    page = world.page()
    ids = [t["task_id"] for t in page["tasks"]]
    assert ids == [sync["task_id"], push["task_id"], pull["task_id"]]  # newest first
    assert {t["status"] for t in page["tasks"]} == {"completed"}
    assert [t["task_id"] for t in world.page(type="push")["tasks"]] == [push["task_id"]]
    assert [t["task_id"] for t in world.page(region="US")["tasks"]] == ids
    first = world.page(limit=2)
    rest = world.page(limit=2, cursor=first["next_cursor"])
    assert [t["task_id"] for t in first["tasks"] + rest["tasks"]] == ids
    assert rest["next_cursor"] is None
    assert world.http.get("/tasks", params={"connection_id": cid, "status": "x"}).status_code == 422

    details = {t: world.call("GET", f"/tasks/{t}") for t in ids}
    rebuild_read_model(gateway, "tasks")
    rebuild_read_model(gateway, "home")
    assert world.call("GET", f"/home/{cid}")["products"] == products
    rebuilt = world.page()
    for before, after in zip(page["tasks"], rebuilt["tasks"], strict=True):
        assert after == before, (before["type"], {k: (before[k], after[k]) for k in before})
    assert rebuilt == page
    assert {t: world.call("GET", f"/tasks/{t}") for t in ids} == details


def streamed_while_running(stream: TaskStream, listed: Json) -> None:
    """The stream told of the task running, then sent its final row, as the list has it."""
    row = {k: v for k, v in listed.items() if k not in ("reasons", "items")}
    try:
        states = poll(lambda: stream.states(row["task_id"]), lambda s: s and s[-1] == row, 30)
    finally:
        stream.close()
    assert states[-1] == row, (states[-1], row)
    assert states[0]["status"] == "running", states[0]  # pushed while it ran, not only at its end


def missed_order_sync(world: World, sandboxes: Sandboxes) -> Json:
    """An order placed while webhooks are lost, then found by "sync missed orders"."""
    tiktok = f"{sandboxes.tiktok_url}/_sandbox"
    chaos = f"{tiktok}/webhooks/chaos"
    line = {"sku_id": "1729", "seller_sku": "MISSED-1", "price": "12.00", "product_name": "Mug"}
    httpx.put(chaos, json={"drop_probability": 1.0}).raise_for_status()
    try:
        placed = httpx.post(
            f"{tiktok}/shops/{world.merchant.tiktok_shop_id}/orders",
            json={"status": "AWAITING_SHIPMENT", "lines": [{**line, "quantity": 1}]},
        )
        placed.raise_for_status()
    finally:
        httpx.put(chaos, json={"drop_probability": 0.0}).raise_for_status()
    now = datetime.now(UTC)
    window = {
        "connection_id": world.merchant.connection_id,
        "created_from": (now - timedelta(hours=1)).isoformat(),
        "created_to": (now + timedelta(minutes=1)).isoformat(),
    }
    started = poll(
        lambda: world.http.post("/order-syncs", json=window),
        lambda r: r.status_code == 202,
        60,
    )
    task_id = started.json()["task_id"]
    return poll(  # type: ignore[no-any-return]
        lambda: world.call("GET", f"/order-syncs/{task_id}"),
        lambda t: t["status"] in ("completed", "error"),
        120,
    )


def home_products_match(world: World, sandboxes: Sandboxes, push: Json) -> Json:
    """Home's product counts once they are catalog-sync's: what the push listed is in the
    TikTok sandbox, each count's link lists those products."""
    cid = world.merchant.connection_id
    owner = world.call("GET", f"{world.catalog}/products")["counts"]
    home = poll(
        lambda: world.call("GET", f"/home/{cid}"),
        lambda h: {k: v["count"] for k, v in h["products"].items()} == owner,
        60,
    )
    shown = home["products"]
    assert {k: v["count"] for k, v in shown.items()} == owner
    assert sum(owner.values()) == SEED["products"]
    tiktok = httpx.get(f"{sandboxes.tiktok_url}/_sandbox/shops/{world.merchant.tiktok_shop_id}")
    listed = tiktok.raise_for_status().json()["products"]
    assert shown["synced"]["count"] == len(listed) == push["done"]
    assert shown["sync_failed"]["count"] == push["failed"]
    for status, figure in shown.items():
        page = world.call("GET", figure["link"].removeprefix("/api/v1"))
        assert page["total"] == figure["count"], status
    return shown  # type: ignore[no-any-return]
