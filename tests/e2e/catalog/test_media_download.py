"""The real media path: catalog-sync downloads a product's Shopify image and video bytes from
Shopify's CDN (the Shopify sandbox serves them) and uploads those bytes to TikTok Shop, once."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from connector_devstack.services import ServiceProcess
from tiktok_shop_sandbox.samples import sample_mp4, sample_png

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def catalog_services(
    start_module_service: Callable[..., ServiceProcess],
) -> tuple[ServiceProcess, ServiceProcess]:
    """gateway + a catalog-sync that downloads media (no placeholders) for this module."""
    return start_module_service("gateway"), start_module_service(
        "catalog-sync", catalog_image_placeholder="false"
    )


def host(world: Any, path: str, content: bytes, content_type: str) -> str:
    """Put a file on the Shopify sandbox's CDN; its URL."""
    response = httpx.put(
        f"{world.sandboxes.shopify_url}/_sandbox/cdn/{path}",
        content=content,
        headers={"content-type": content_type},
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["url"])


def test_shopify_images_and_videos_are_downloaded_and_uploaded(catalog_world: Any) -> None:
    """Guide: "How to Sync Products" (Sync One Product) and "Settings: Product Settings" (Sync
    Rules: Product media and Product video, Origin: from Shopify)."""
    world = catalog_world
    made = world.seed_clean("Storage Jar", 1, products=2, seed=71, missing_images_ratio=1)
    assert made["missing_images"] == 2
    products = world.shopify_control("GET", "/products")
    good, broken = sorted(p["admin_graphql_api_id"] for p in products)
    domain = world.shop_domain
    image = host(world, f"{domain}/jar.png", sample_png(640, 640), "image/png")
    video = host(world, f"{domain}/jar.mp4", sample_mp4(1080, 1920), "video/mp4")
    world.shopify_control("POST", "/images", {"product_id": good, "url": image})
    world.shopify_control(
        "POST",
        "/videos",
        {"product_id": good, "url": video, "filename": "jar.mp4", "width": 1080, "height": 1920},
    )
    gone = f"{world.sandboxes.shopify_url}/cdn/{domain}/deleted.png"  # never hosted: a 404
    world.shopify_control("POST", "/images", {"product_id": broken, "url": gone})
    world.send("PUT", "/settings", {"listing": {"package": {"weight": 1}}})
    world.wait_task(world.send("POST", "/pull", {}, status=202)["task_id"])
    assert world.product(good)["video"]["url"] == video

    for _ in range(2):  # a create, then an update that re-uses the uploads
        world.wait_task(world.send("POST", "/push", {"all_products": True}, status=202)["task_id"])
        synced = world.product(good)
        assert synced["status"] == "synced", synced
        listed = world.tiktok_control("GET", f"/products/{synced['tiktok_product_id']}")
        assert len(listed["main_images"]) == 1
        # TikTok read the size from the uploaded bytes: the real file, not a placeholder.
        assert (listed["video"]["width"], listed["video"]["height"]) == (1080, 1920)
    fetches = httpx.get(f"{world.sandboxes.shopify_url}/_sandbox/cdn-fetches").json()
    assert fetches == {f"{domain}/jar.png": 1, f"{domain}/jar.mp4": 1}

    failed = world.product(broken)
    assert failed["status"] == "sync_failed"
    assert "could not be downloaded from Shopify" in failed["reason"], failed
    assert "deleted.png" in failed["reason"]
