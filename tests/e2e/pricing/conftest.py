"""Pricing end to end: gateway, price-promotions and order-relay as processes on the real broker
and PostgreSQL; per test a merchant connected through the gateway's OAuth flow, with Shopify
products linked to real sandbox TikTok products."""

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from connector_devstack.infra import Infra
from connector_devstack.polling import poll
from connector_devstack.pricing_world import (
    LinkedProduct,
    PricingMerchant,
    connected_pricing_merchant,
    publish_pushed,
)
from connector_devstack.pytest_plugin import ServiceStarter
from connector_devstack.sandboxes import Merchant, Sandboxes
from connector_devstack.services import ServiceProcess

Json = dict[str, Any]
PRICING_ENV = {"price_poll_seconds": "0.2", "price_sweep_seconds": "2"}


@pytest.fixture(scope="module")
def services(
    start_module_service: ServiceStarter,
) -> dict[str, ServiceProcess]:
    """The processes a price change and an order travel through."""
    names = ("gateway", "price-promotions", "order-relay")
    return start_module_service.start_all(names, {"price-promotions": PRICING_ENV})


class World:
    """One connected merchant: the merchant's Shopify admin, the pricing API, the sandboxes."""

    def __init__(
        self, infra: Infra, services: dict[str, ServiceProcess], merchant: PricingMerchant
    ) -> None:
        self.infra = infra
        self.services = services
        self.merchant = merchant
        self.http = httpx.Client(timeout=30)
        self.api = f"{services['gateway'].url}/api/v1"
        self.region = (
            f"{self.api}/pricing/{merchant.connection_id}/regions/{merchant.tiktok.shop_id}"
        )
        self.tiktok = f"{merchant.sandboxes.tiktok_url}/_sandbox"

    def link(self, count: int = 1) -> list[LinkedProduct]:
        """Products linked as catalog-sync would link them (product.pushed to every service)."""

        async def run() -> list[LinkedProduct]:
            async with httpx.AsyncClient(timeout=60) as http:
                products = await self.merchant.link_products(http, count)
            for product in products:
                await publish_pushed(self.infra, self.merchant.connection_id, product)
            return products

        return asyncio.run(run())

    def set_price(self, product: LinkedProduct, price: str, compare_at: str | None) -> None:
        """The merchant edits the prices in Shopify admin (products/update webhook)."""
        body = {
            "variant_id": product.shopify_variant_id,
            "price": price,
            "compare_at_price": compare_at,
        }
        self.http.post(f"{self._shopify}/prices", json=body).raise_for_status()

    def create_collection(self, title: str, product_ids: list[str]) -> str:
        """The merchant makes a custom collection in Shopify admin; its gid."""
        body = {"title": title, "product_ids": product_ids}
        made = self.http.post(f"{self._shopify}/collections", json=body).raise_for_status()
        return str(made.json()["id"])

    def change_collection(self, collection_id: str, add: list[str], via: str) -> None:
        """The merchant adds products on the collection's or each product's page."""
        body = {"collection_id": collection_id, "add": add, "via": via}
        self.http.post(f"{self._shopify}/collections/members", json=body).raise_for_status()

    @property
    def _shopify(self) -> str:
        return f"{self.merchant.sandboxes.shopify_url}/_sandbox/shops/{self.merchant.shop_domain}"

    def put_pricing(self, **body: Any) -> Json:
        response = self.http.put(self.region, json=body)
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    def state(self, product: LinkedProduct) -> Json:
        number = product.shopify_product_id.rsplit("/", 1)[-1]
        response = self.http.get(f"{self.region}/products/{number}")
        return response.json() if response.status_code == 200 else {}

    def tiktok_price(self, product: LinkedProduct) -> str:
        body = self.http.get(f"{self.tiktok}/products/{product.tiktok_product_id}").json()
        return str(body["skus"][0]["price"]["sale_price"])

    def wait_price(self, product: LinkedProduct, price: str, timeout: float = 60) -> None:
        poll(lambda: self.tiktok_price(product), lambda p: p == price, timeout)
        assert self.tiktok_price(product) == price

    def activities(self, live: bool = True) -> list[Json]:
        found = self.http.get(f"{self.tiktok}/shops/{self.merchant.tiktok.shop_id}/activities")
        every: list[Json] = found.raise_for_status().json()
        return [a for a in every if a["status"] in {"ONGOING", "NOT_START"}] if live else every

    def wait(
        self, fetch: Callable[[], Any], done: Callable[[Any], bool], timeout: float = 60
    ) -> Any:
        result = poll(fetch, done, timeout)
        assert done(result), result
        return result


@pytest.fixture
def world(
    infra: Infra,
    sandboxes: Sandboxes,
    services: dict[str, ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> Iterator[World]:
    merchant = connect_merchant(services["gateway"])

    async def pricing_merchant() -> PricingMerchant:
        async with httpx.AsyncClient(timeout=30) as http:
            return await connected_pricing_merchant(http, sandboxes, merchant)

    created = World(infra, services, asyncio.run(pricing_merchant()))
    created.wait(lambda: created.http.get(created.region).status_code, lambda s: s == 200)
    yield created
    created.http.close()
