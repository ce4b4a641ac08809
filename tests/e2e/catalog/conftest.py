"""Catalog end-to-end setup: gateway + catalog-sync as processes, a merchant connected through
the gateway's OAuth flow against both sandboxes, and helpers for the catalog API (through the
gateway, the single public entry point)."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from connector_devstack.broker import ensure_topics
from connector_devstack.infra import Infra
from connector_devstack.polling import poll as wait_until
from connector_devstack.pytest_plugin import ServiceStarter
from connector_devstack.sandboxes import Merchant, Sandboxes
from connector_devstack.services import ServiceProcess, topics_for
from tiktok_shop import TikTokShopClient

Json = dict[str, Any]
# Sandbox catalogs have unreachable image URLs; small chunks show progress in tests.
CATALOG_ENV = {"catalog_image_placeholder": "true", "catalog_push_chunk_size": "50"}


def poll(fetch: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 120) -> Any:
    """`connector_devstack.polling.poll` with catalog work's longer default (two minutes)."""
    return wait_until(fetch, done, timeout)


@dataclass
class CatalogWorld:
    """A connected merchant with gateway and catalog-sync running."""

    infra: Infra
    sandboxes: Sandboxes
    gateway: ServiceProcess
    catalog: ServiceProcess
    merchant: Merchant

    @property
    def connection_id(self) -> str:
        """The merchant's connection."""
        return self.merchant.connection_id

    @property
    def shop_domain(self) -> str:
        """The merchant's Shopify store."""
        return self.merchant.shopify_shop_domain

    @property
    def api(self) -> str:
        """The catalog API of this connection, through the gateway."""
        return f"{self.gateway.url}/api/v1/catalog/{self.connection_id}"

    def get(self, path: str, **params: Any) -> Any:
        """GET from the connection's catalog API (asserting success)."""
        response = httpx.get(f"{self.api}{path}", params=params, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def send(self, method: str, path: str, body: Any, status: int = 200) -> Any:
        """POST / PUT / PATCH to the connection's catalog API (asserting the status)."""
        response = httpx.request(method, f"{self.api}{path}", json=body, timeout=60)
        assert response.status_code == status, response.text
        return response.json()

    def wait_task(self, task_id: str, timeout: float = 240) -> Json:
        """Poll a task until it is no longer running; it must have completed."""
        url = f"{self.gateway.url}/api/v1/catalog/tasks/{task_id}"
        task = poll(lambda: httpx.get(url).json(), lambda t: t["status"] != "running", timeout)
        assert task["status"] == "completed", task
        return task  # type: ignore[no-any-return]

    def products(self, **params: Any) -> list[Json]:
        """Every product (all pages)."""
        found: list[Json] = []
        while True:
            page = self.get("/products", limit=500, offset=len(found), **params)
            found += page["products"]
            if len(found) >= page["total"]:
                return found

    def product(self, shopify_product_id: str) -> Json:
        """One product by gid."""
        return self.get(f"/products/{shopify_product_id.rsplit('/', 1)[-1]}")  # type: ignore[no-any-return]

    def seed(self, **catalog: Any) -> Json:
        """Seed the merchant's Shopify store (deterministic catalog)."""
        url = f"{self.sandboxes.shopify_url}/_sandbox/shops/{self.shop_domain}/seed"
        response = httpx.post(url, json=catalog, timeout=120)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def seed_clean(self, product_type: str, variants: int, **catalog: Any) -> Json:
        """Seed products of one type without the seeder's deliberate defects."""
        return self.seed(
            **{
                "variants_per_product": variants,
                "product_types": [product_type],
                "stock_min": 1,
                "stock_max": 9,
                "missing_product_type_ratio": 0,
                "missing_images_ratio": 0,
                "long_title_ratio": 0,
                "duplicate_sku_ratio": 0,
                **catalog,
            }
        )

    def shopify_control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the Shopify sandbox's control plane for this store."""
        url = f"{self.sandboxes.shopify_url}/_sandbox/shops/{self.shop_domain}{path}"
        response = httpx.request(method, url, json=body, timeout=60)
        response.raise_for_status()
        return response.json() if response.content else None

    def tiktok_control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the TikTok sandbox's control plane."""
        response = httpx.request(
            method, f"{self.sandboxes.tiktok_url}/_sandbox{path}", json=body, timeout=60
        )
        response.raise_for_status()
        return response.json()

    def seller_client(
        self, shop_id: str | None = None, cipher: str | None = None
    ) -> TikTokShopClient:
        """The seller's own Open API client for one of its shops (default: the merchant's
        first), with a token of its own: Seller Center, as far as the sandbox is concerned."""
        shop_id = shop_id or self.merchant.tiktok_shop_id
        tokens = self.tiktok_control("POST", f"/shops/{shop_id}/tokens", {})
        return TikTokShopClient(
            app_key="sandbox-app-key",
            app_secret="sandbox-app-secret",
            access_token=tokens["access_token"],
            shop_cipher=cipher or self.merchant.tiktok_shop_cipher,
            base_url=self.sandboxes.tiktok_url,
        )

    poll = staticmethod(poll)

    def wait_connected(self) -> None:
        """catalog-sync has the connection replica (its settings answer)."""
        poll(lambda: httpx.get(f"{self.api}/settings").status_code, lambda s: s == 200, 60)


@pytest.fixture(scope="module")
def catalog_services(
    start_module_service: ServiceStarter,
) -> tuple[ServiceProcess, ServiceProcess]:
    """gateway + catalog-sync shared by a module's tests; each test connects its own merchant."""
    # Push failures are mailed as a digest after a few seconds instead of an hour (ADR 0830).
    gateway = {"notification_digest_seconds": "3"}
    started = start_module_service.start_all(
        ("gateway", "catalog-sync"), {"gateway": gateway, "catalog-sync": CATALOG_ENV}
    )
    return started["gateway"], started["catalog-sync"]


def start_world(
    infra: Infra,
    sandboxes: Sandboxes,
    services: tuple[ServiceProcess, ServiceProcess],
    connect_merchant: Callable[..., Merchant],
    region: str = "US",
) -> CatalogWorld:
    """Connect a new merchant in `region` to the running gateway + catalog-sync."""
    gateway, catalog = services
    world = CatalogWorld(
        infra, sandboxes, gateway, catalog, connect_merchant(gateway, region=region)
    )
    world.wait_connected()
    return world


@pytest.fixture
def eu_world(
    infra: Infra,
    sandboxes: Sandboxes,
    catalog_services: tuple[ServiceProcess, ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> CatalogWorld:
    """A merchant connected to a German TikTok shop (EU Global Products)."""
    return start_world(infra, sandboxes, catalog_services, connect_merchant, region="DE")


@pytest.fixture
def catalog_world(
    infra: Infra,
    sandboxes: Sandboxes,
    catalog_services: tuple[ServiceProcess, ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> CatalogWorld:
    """A merchant (empty Shopify store, US TikTok shop) connected, gateway + catalog-sync up."""
    return start_world(infra, sandboxes, catalog_services, connect_merchant)


@pytest.fixture
def quick_check_world(
    infra: Infra,
    sandboxes: Sandboxes,
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> CatalogWorld:
    """A catalog world of its own whose bulk-pull checks look at waiting pulls every second.

    Its own topics and schemas: with the module's catalog-sync as a second replica, either
    could take a pull's check (work items go to any replica). Its gateway takes the
    sandboxes' webhooks over: use it last in a module.
    """
    own = uuid.uuid4().hex[:6]
    prefix = f"{infra.prefix}{own}."
    ensure_topics(infra.broker.bootstrap_servers, topics_for(prefix))
    services = (
        start_service("gateway", topic_prefix=prefix, db_schema=f"gateway_{own}"),
        start_service(
            "catalog-sync",
            **CATALOG_ENV,
            catalog_bulk_check_seconds="1",
            topic_prefix=prefix,
            db_schema=f"catalog_sync_{own}",
        ),
    )
    return start_world(infra, sandboxes, services, connect_merchant)
