"""`SandboxControl`: an async client for the unsigned /_sandbox control plane (tests, bench)."""

from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpx

Json = dict[str, Any]


@dataclass(frozen=True)
class ShopHandle:
    """A sandbox app + shop with tokens: what a connector needs to call the API for it."""

    app_key: str
    app_secret: str
    shop_id: str
    cipher: str
    access_token: str
    refresh_token: str
    warehouse_id: str
    region: str


class SandboxControl:
    """Drive the sandbox: apps, shops, tokens, orders, returns, faults, inspection."""

    def __init__(self, base_url: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=30)

    async def _send(self, method: str, path: str, body: Any = None) -> Any:
        response = await self._http.request(method, f"/_sandbox{path}", json=body)
        response.raise_for_status()
        return response.json()

    async def reset(self) -> None:
        """Forget everything."""
        await self._send("POST", "/reset")

    async def create_app(self, webhook_url: str | None = None) -> Json:
        """A new app: {app_key, app_secret, webhook_url}."""
        result: Json = await self._send("POST", "/apps", {"webhook_url": webhook_url})
        return result

    async def set_app_webhook(self, app_key: str, url: str | None) -> None:
        """Set the app-wide webhook URL."""
        await self._send("PUT", f"/apps/{app_key}/webhook", {"url": url})

    async def create_shop(self, app_key: str, region: str = "US", **fields: Any) -> Json:
        """A new shop with warehouses and tokens: {shop_id, cipher, warehouses, tokens, ...}."""
        result: Json = await self._send(
            "POST", "/shops", {"app_key": app_key, "region": region, **fields}
        )
        return result

    async def new_shop(self, webhook_url: str | None = None, **fields: Any) -> ShopHandle:
        """A new app and shop of its own (unique per caller), with tokens."""
        app = await self.create_app(webhook_url)
        shop = await self.create_shop(app["app_key"], **fields)
        return ShopHandle(
            app["app_key"],
            app["app_secret"],
            shop["shop_id"],
            shop["cipher"],
            shop["tokens"]["access_token"],
            shop["tokens"]["refresh_token"],
            shop["warehouses"][0]["id"],
            shop["region"],
        )

    async def add_size_chart(self, shop_id: str, name: str) -> Json:
        """A size chart template of the shop's seller: {template_id, template_name, images}."""
        result: Json = await self._send("POST", f"/shops/{shop_id}/size_charts", {"name": name})
        return result

    async def add_warehouse(self, shop_id: str, name: str, type: str = "SALES_WAREHOUSE") -> Json:
        """The seller adds a warehouse to a shop: {id, name, type, is_default}."""
        result: Json = await self._send(
            "POST", f"/shops/{shop_id}/warehouses", {"name": name, "type": type}
        )
        return result

    async def issue_tokens(self, shop_id: str, access_ttl_seconds: int | None = None) -> Json:
        """A fresh token pair for the shop's seller."""
        result: Json = await self._send(
            "POST", f"/shops/{shop_id}/tokens", {"access_ttl_seconds": access_ttl_seconds}
        )
        return result

    async def auth_code(self, shop_id: str) -> str:
        """A one-time auth code for the shop's seller."""
        result: Json = await self._send("POST", f"/shops/{shop_id}/auth_codes")
        return str(result["code"])

    async def deauthorize(self, shop_id: str) -> None:
        """The seller revokes the app (webhook 6)."""
        await self._send("POST", f"/shops/{shop_id}/deauthorize")

    async def shop(self, shop_id: str) -> Json:
        """Everything in a shop."""
        result: Json = await self._send("GET", f"/shops/{shop_id}")
        return result

    async def place_order(self, shop_id: str, **spec: Any) -> Json:
        """Place an order (see NewOrder in the README); returns the order as the API shows it."""
        result: Json = await self._send("POST", f"/shops/{shop_id}/orders", spec)
        return result

    async def combine_packages(self, *order_ids: str) -> Json:
        """Combine the orders' unshipped lines into one package (webhook 4, COMBINE)."""
        result: Json = await self._send("POST", "/packages/combine", {"order_ids": list(order_ids)})
        return result

    async def order(self, order_id: str) -> Json:
        """An order with packages and external references."""
        result: Json = await self._send("GET", f"/orders/{order_id}")
        return result

    async def set_order_status(self, order_id: str, status: str) -> Json:
        """Move an order to a status."""
        result: Json = await self._send("POST", f"/orders/{order_id}/status", {"status": status})
        return result

    async def request_cancellation(self, order_id: str, **spec: Any) -> Json:
        """A buyer cancellation request: {cancel_id, cancel_status}."""
        result: Json = await self._send("POST", f"/orders/{order_id}/cancellations", spec)
        return result

    async def request_return(self, order_id: str, **spec: Any) -> Json:
        """A buyer return request: {return_id, return_status}."""
        result: Json = await self._send("POST", f"/orders/{order_id}/returns", spec)
        return result

    async def set_return_status(self, return_id: str, status: str) -> Json:
        """Move a return (e.g. BUYER_SHIPPED_ITEM)."""
        result: Json = await self._send("POST", f"/returns/{return_id}/status", {"status": status})
        return result

    async def product(self, product_id: str) -> Json:
        """A product with SKUs, stock and prices."""
        result: Json = await self._send("GET", f"/products/{product_id}")
        return result

    async def seed_products(self, shop_id: str, bodies: list[Json]) -> list[Json]:
        """List Create Product `bodies` live at once, no review or webhooks (test tooling);
        Create Product's result for each: {product_id, skus: [{id, seller_sku, ...}]}."""
        result: Json = await self._send("POST", f"/shops/{shop_id}/products", {"products": bodies})
        made: list[Json] = result["products"]
        return made

    async def finish_audit(self, product_id: str, approved: bool, reasons: list[str]) -> Json:
        """Finish a product's audit now."""
        body = {"approved": approved, "reasons": reasons}
        result: Json = await self._send("POST", f"/products/{product_id}/audit", body)
        return result

    async def set_faults(self, rules: list[Json]) -> None:
        """Replace the fault rules."""
        await self._send("PUT", "/faults", rules)

    async def faults(self) -> list[Json]:
        """The fault rules, each with how many faults it has injected (`fired`)."""
        rules: list[Json] = await self._send("GET", "/faults")
        return rules

    async def clear_faults(self) -> None:
        """Remove every fault rule."""
        await self._send("DELETE", "/faults")

    async def set_qps(self, default_qps: float, qps_per_api: dict[str, float]) -> None:
        """Change QPS limits."""
        await self._send("PUT", "/qps", {"default_qps": default_qps, "qps_per_api": qps_per_api})

    async def set_webhook_chaos(self, **chaos: float) -> None:
        """Set webhook duplicate / reorder / drop probabilities."""
        await self._send("PUT", "/webhooks/chaos", chaos)

    async def deliveries(self, shop_id: str | None = None) -> Json:
        """Webhook delivery attempts."""
        path = "/webhooks/deliveries" + (f"?shop_id={shop_id}" if shop_id else "")
        result: Json = await self._send("GET", path)
        return result

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()

    async def __aenter__(self) -> "SandboxControl":
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
