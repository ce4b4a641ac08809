"""A small synchronous client of the /_sandbox control plane, for tests and scripts."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

JSON = dict[str, Any]


class SandboxControl:
    """Drives a running sandbox: shops, apps, tokens, seeding, merchant actions, faults."""

    def __init__(self, base_url: str, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client(base_url=f"{self.base_url}/_sandbox", timeout=timeout)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _call(self, method: str, path: str, json: Any = None, **params: Any) -> Any:
        response = self._http.request(method, path, json=json, params=params or None)
        response.raise_for_status()
        return response.json() if response.content else None

    def shop_url_template(self) -> str:
        """The `ShopifyConfig.base_url_template` that routes `{shop}` to this sandbox."""
        return f"{self.base_url}/shops/{{shop}}"

    def create_shop(
        self, domain: str | None = None, plan: str = "standard", locations: list[str] | None = None
    ) -> JSON:
        """A new shop (a unique domain when none is given)."""
        domain = domain or f"test-{uuid.uuid4().hex[:10]}.myshopify.com"
        body = {"domain": domain, "plan": plan, "locations": locations or ["Main warehouse"]}
        result: JSON = self._call("POST", "/shops", body)
        return result

    def set_plan(self, shop: str, plan: str = "standard", **overrides: float) -> JSON:
        """Change plan; `restore_rate=` / `bucket_size=` override its bucket."""
        result: JSON = self._call("PATCH", f"/shops/{shop}", {"plan": plan, **overrides})
        return result

    def set_bulk(self, shop: str, *, max_concurrent: int | None = None, held: bool = False) -> JSON:
        """The store's bulk slots (None: the API version's) and whether exports are held."""
        body = {"max_concurrent": max_concurrent, "held": held}
        result: JSON = self._call("PUT", f"/shops/{shop}/bulk", json=body)
        return result

    def create_app(
        self, client_secret: str | None = None, redirect_urls: list[str] | None = None
    ) -> JSON:
        """A new app with credentials and the OAuth redirection URLs it allows."""
        body = {"client_secret": client_secret, "redirect_urls": redirect_urls or []}
        result: JSON = self._call("POST", "/apps", body)
        return result

    def issue_token(self, shop: str, client_id: str, *, expiring: bool = False) -> str:
        """Install the app and return an access token."""
        body = {"client_id": client_id, "expiring": expiring}
        return str(self._call("POST", f"/shops/{shop}/tokens", body)["access_token"])

    def seed(self, shop: str, **params: Any) -> JSON:
        """Seed a deterministic catalog (see `SeedRequest` for the parameters)."""
        result: JSON = self._call("POST", f"/shops/{shop}/seed", params)
        return result

    def set_stock(
        self, shop: str, inventory_item_id: str, location_id: str, available: int
    ) -> JSON:
        """Change stock as the merchant would."""
        body = {
            "inventory_item_id": inventory_item_id,
            "location_id": location_id,
            "available": available,
        }
        result: JSON = self._call("POST", f"/shops/{shop}/inventory", body)
        return result

    def set_price(
        self, shop: str, variant_id: str, price: str, compare_at_price: str | None = None
    ) -> JSON:
        """Change a price as the merchant would."""
        body = {"variant_id": variant_id, "price": price, "compare_at_price": compare_at_price}
        result: JSON = self._call("POST", f"/shops/{shop}/prices", body)
        return result

    def create_collection(
        self, shop: str, title: str, product_ids: list[str] | None = None
    ) -> JSON:
        """A custom collection holding `product_ids` (collections/create)."""
        body = {"title": title, "product_ids": product_ids or []}
        result: JSON = self._call("POST", f"/shops/{shop}/collections", body)
        return result

    def change_collection(
        self,
        shop: str,
        collection_id: str,
        *,
        add: list[str] | None = None,
        remove: list[str] | None = None,
        via: str = "collection",
    ) -> JSON:
        """Add / remove products as the merchant would from the collection's page
        (collections/update) or each product's page (`via="product"`: products/update)."""
        body = {
            "collection_id": collection_id,
            "add": add or [],
            "remove": remove or [],
            "via": via,
        }
        result: JSON = self._call("POST", f"/shops/{shop}/collections/members", body)
        return result

    def collections(self, shop: str) -> list[JSON]:
        """Every custom collection with its product gids."""
        result: list[JSON] = self._call("GET", f"/shops/{shop}/collections")
        return result

    def delete_product(self, shop: str, product_id: str) -> None:
        """Delete a product from admin (products/delete)."""
        self._call("DELETE", f"/shops/{shop}/products", product_id=product_id)

    def set_metafields(self, shop: str, product_id: str, metafields: list[JSON]) -> list[JSON]:
        """Save a product's metafields as the merchant would in admin (namespace, key, type,
        value each; emits products/update)."""
        body = {"product_id": product_id, "metafields": metafields}
        return self._call("POST", f"/shops/{shop}/metafields", json=body)  # type: ignore[no-any-return]

    def add_video(self, shop: str, product_id: str, **video: Any) -> JSON:
        """Add a video to a product (filename, url, width, height, file_size); products/update."""
        result: JSON = self._call(
            "POST", f"/shops/{shop}/videos", {"product_id": product_id, **video}
        )
        return result

    def fulfil_order(self, shop: str, order_id: str, **tracking: Any) -> JSON:
        """Fulfil everything open on an order from admin."""
        result: JSON = self._call(
            "POST", f"/shops/{shop}/orders/fulfil", {"order_id": order_id, **tracking}
        )
        return result

    def cancel_order(self, shop: str, order_id: str, *, restock: bool = True) -> JSON:
        """Cancel an order from admin."""
        body = {"order_id": order_id, "restock": restock}
        result: JSON = self._call("POST", f"/shops/{shop}/orders/cancel", body)
        return result

    def orders(self, shop: str) -> list[JSON]:
        """Every order with all fields the connector sent."""
        result: list[JSON] = self._call("GET", f"/shops/{shop}/orders")
        return result

    def inventory(self, shop: str) -> list[JSON]:
        """Every inventory level."""
        result: list[JSON] = self._call("GET", f"/shops/{shop}/inventory")
        return result

    def deliveries(self, shop: str | None = None, topic: str | None = None) -> list[JSON]:
        """Webhook deliveries and their attempts."""
        params = {k: v for k, v in (("shop", shop), ("topic", topic)) if v}
        result: list[JSON] = self._call("GET", "/webhooks/deliveries", **params)
        return result

    def add_fault(self, **rule: Any) -> JSON:
        """Inject a fault (see `FaultRule`)."""
        result: JSON = self._call("POST", "/faults", rule)
        return result

    def faults(self) -> list[JSON]:
        """The fault rules, each with how many times it has fired."""
        rules: list[JSON] = self._call("GET", "/faults")
        return rules

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self._call("DELETE", "/faults")

    def set_webhook_faults(self, shop: str, **faults: Any) -> JSON:
        """Duplicate / drop / reorder deliveries of a shop."""
        result: JSON = self._call("PUT", f"/shops/{shop}/webhook-faults", faults)
        return result

    def requests(self, shop: str | None = None) -> list[JSON]:
        """The GraphQL request log (operations, requested and actual cost)."""
        result: list[JSON] = self._call("GET", "/requests", **({"shop": shop} if shop else {}))
        return result

    def uninstall(self, shop: str, client_id: str) -> None:
        """Uninstall the app (emits app/uninstalled, revokes its tokens)."""
        self._call("POST", f"/shops/{shop}/uninstall", {"client_id": client_id})

    def reset(self) -> None:
        """Forget everything."""
        self._call("POST", "/reset")
