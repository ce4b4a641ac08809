"""Pulls wait for Shopify's bulk_operations/finish webhook instead of polling in a consumer
(ADR 0204); when that webhook is lost, the bulk-pull-check job completes the pull."""

from typing import Any

import httpx
from connector_devstack.scraping import metric_value

JARS = {"product_types": ["Storage Jars"], "variants_per_product": 1}
PREPARING = "Shopify is preparing the export"


def finish_deliveries(world: Any) -> list[dict[str, Any]]:
    """The Shopify sandbox's bulk_operations/finish deliveries to this store."""
    response = httpx.get(
        f"{world.sandboxes.shopify_url}/_sandbox/webhooks/deliveries",
        params={"shop": world.shop_domain, "topic": "bulk_operations/finish"},
    )
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def test_a_pull_is_completed_by_the_finish_webhook(catalog_world: Any) -> None:
    world = catalog_world
    pulls = "connector_catalog_bulk_pulls_total"
    # catalog-sync serves the whole module: compare its counters before and after.
    by_webhook = metric_value(world.catalog.url, pulls, via="webhook", outcome="completed")
    by_check = metric_value(world.catalog.url, pulls, via="check")
    world.seed(products=4, seed=31, **JARS)
    task = world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    assert (task["done"], task["total"]) == (4, 4)
    assert [d["state"] for d in finish_deliveries(world)] == ["delivered"]
    assert metric_value(world.catalog.url, pulls, via="webhook", outcome="completed") == (
        by_webhook + 1
    )
    assert metric_value(world.catalog.url, pulls, via="check") == by_check


def test_a_pull_whose_finish_webhook_is_lost_is_completed_by_the_check_job(
    quick_check_world: Any,
) -> None:
    world = quick_check_world
    world.seed(products=6, seed=32, **JARS)
    world.shopify_control("PUT", "/webhook-faults", {"drop_probability": 1.0})
    try:
        task_id = world.send("POST", "/pull", {}, status=202)["task_id"]
        url = f"{world.gateway.url}/api/v1/catalog/tasks/{task_id}"
        waiting = world.poll(lambda: httpx.get(url).json(), lambda t: t["detail"] is not None)
        assert waiting["detail"] == PREPARING or waiting["status"] == "completed", waiting
        task = world.wait_task(task_id)
    finally:
        world.shopify_control("PUT", "/webhook-faults", {"drop_probability": 0.0})
    assert (task["done"], task["total"]) == (6, 6)
    assert task["detail"].startswith("pulled 6 of 6 products"), task
    assert [d["state"] for d in finish_deliveries(world)] == ["dropped"]
    pulls = "connector_catalog_bulk_pulls_total"
    assert metric_value(world.catalog.url, pulls, via="check", outcome="completed") == 1
    assert len(world.products()) == 6
