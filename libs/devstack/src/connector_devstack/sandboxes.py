"""Both platform sandboxes as child processes, with the connector's apps provisioned in them."""

import asyncio
import json
import random
import subprocess
import sys
from dataclasses import dataclass, field
from typing import Any

import httpx

from connector_devstack.ports import free_port, wait_for_port
from connector_devstack.processes import spawn, stop

# The connector's identity in the sandboxes, passed to every service the devstack starts (the
# services have no default secrets: outside the devstack they must be given real ones).
TIKTOK_APP_KEY, TIKTOK_APP_SECRET = "sandbox-app-key", "sandbox-app-secret"
SHOPIFY_CLIENT_ID, SHOPIFY_CLIENT_SECRET = "sandbox-client-id", "sandbox-client-secret"
SECRET_KEY = "ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZC11c2U="
IDENTITY_KEY = "development-identity-key-not-for-production-use"

# Compressed platform timings, so retries and audits happen within a test run.
TIKTOK_SETTINGS = {"audit_delay_seconds": 0.5, "webhook_retry_delays": [1.0, 2.0, 4.0, 8.0]}
SHOPIFY_ARGS = ["--webhook-retry-scale", "0.001", "--bulk-delay", "0.2"]


@dataclass
class Sandboxes:
    """Running TikTok Shop and Shopify simulators."""

    tiktok_url: str
    shopify_url: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def platform_env(self) -> dict[str, str]:
        """Environment variables that point a service at the sandboxes as its platforms."""
        return {
            "TIKTOK_API_BASE_URL": self.tiktok_url,
            "TIKTOK_AUTH_BASE_URL": self.tiktok_url,
            "TIKTOK_APP_KEY": TIKTOK_APP_KEY,
            "TIKTOK_APP_SECRET": TIKTOK_APP_SECRET,
            "SHOPIFY_BASE_URL_TEMPLATE": f"{self.shopify_url}/shops/{{shop}}",
            "SHOPIFY_CLIENT_ID": SHOPIFY_CLIENT_ID,
            "SHOPIFY_CLIENT_SECRET": SHOPIFY_CLIENT_SECRET,
            "CONNECTOR_SECRET_KEY": SECRET_KEY,
            "CONNECTOR_IDENTITY_KEY": IDENTITY_KEY,
            # Sandbox catalogs point at image URLs nobody serves: upload a placeholder instead.
            "CATALOG_IMAGE_PLACEHOLDER": "true",
        }

    def point_tiktok_webhooks_at(self, url: str) -> None:
        """Send the app's TikTok webhooks to `url` (the gateway's /webhooks/tiktok)."""
        httpx.put(
            f"{self.tiktok_url}/_sandbox/apps/{TIKTOK_APP_KEY}/webhook", json={"url": url}
        ).raise_for_status()

    def stop(self) -> None:
        """Stop both simulators."""
        for proc in self.processes:
            stop(proc)


def _start(module: str, args: list[str], log: bool) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    proc = spawn(
        [sys.executable, "-m", module, "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=None if log else subprocess.DEVNULL,
    )
    wait_for_port(port)
    return f"http://127.0.0.1:{port}", proc


def start_sandboxes(log: bool = False) -> Sandboxes:
    """Start both sandboxes on free ports and register the connector's apps in them."""
    tiktok_url, tiktok = _start(
        "tiktok_shop_sandbox", ["--settings", json.dumps(TIKTOK_SETTINGS)], log
    )
    shopify_url, shopify = _start("shopify_sandbox", SHOPIFY_ARGS, log)
    sandboxes = Sandboxes(tiktok_url, shopify_url, [tiktok, shopify])
    try:
        httpx.post(
            f"{tiktok_url}/_sandbox/apps",
            json={"app_key": TIKTOK_APP_KEY, "app_secret": TIKTOK_APP_SECRET},
        ).raise_for_status()
        httpx.post(
            f"{shopify_url}/_sandbox/apps",
            json={
                "client_id": SHOPIFY_CLIENT_ID,
                "client_secret": SHOPIFY_CLIENT_SECRET,
                # Every gateway of the stack, whatever port it listens on.
                "redirect_urls": ["http://127.0.0.1/oauth/shopify/callback"],
                "scopes": [
                    "read_products",
                    "write_products",
                    "read_inventory",
                    "write_inventory",
                    "read_orders",
                    "write_orders",
                    "read_fulfillments",
                    "write_fulfillments",
                    "read_locations",
                ],
            },
        ).raise_for_status()
    except BaseException:
        sandboxes.stop()
        raise
    return sandboxes


@dataclass(frozen=True)
class Merchant:
    """A merchant connected end to end: sandbox shops on both sides and an active connection."""

    connection_id: str
    shopify_shop_domain: str
    tiktok_shop_id: str
    tiktok_shop_cipher: str
    region: str


async def connect_merchant(
    gateway_url: str,
    sandboxes: Sandboxes,
    *,
    name: str,
    shopify_shop_domain: str,
    region: str = "US",
    shopify_plan: str = "standard",
    new_store: bool = True,
    headers: dict[str, str] | None = None,
) -> Merchant:
    """Create shops in both sandboxes and connect them through the gateway's OAuth flow
    (`new_store` False: another connection of a Shopify store already in the sandbox, e.g.
    another TikTok seller's; `headers`: the credentials of the account to connect it to)."""
    async with httpx.AsyncClient(timeout=30) as http:
        shop = await _create_shops(
            http, sandboxes, shopify_shop_domain, shopify_plan, region, new_store
        )
        created = (
            (
                await http.post(
                    f"{gateway_url}/api/v1/connections",
                    json={
                        "name": name,
                        "shopify_shop_domain": shopify_shop_domain,
                        "tiktok_region": region,
                    },
                    headers=headers,
                )
            )
            .raise_for_status()
            .json()
        )
        connected = await _approve_installs(http, gateway_url, sandboxes, created, shop["shop_id"])
    return Merchant(
        connected["connection_id"], shopify_shop_domain, shop["shop_id"], shop["cipher"], region
    )


async def create_unauthorized_shops(
    sandboxes: Sandboxes, shopify_shop_domain: str, region: str, shopify_plan: str = "standard"
) -> dict[str, str]:
    """A Shopify store and a TikTok shop that a merchant then connects by hand (the console's
    wizard); returns the TikTok shop."""
    async with httpx.AsyncClient(timeout=30) as http:
        return await _create_shops(http, sandboxes, shopify_shop_domain, shopify_plan, region)


async def _create_shops(
    http: httpx.AsyncClient,
    sandboxes: Sandboxes,
    shopify_shop_domain: str,
    shopify_plan: str,
    region: str,
    new_store: bool = True,
) -> dict[str, str]:
    """A Shopify store and a TikTok shop (not yet authorized); returns the TikTok shop."""
    if new_store:
        (
            await http.post(
                f"{sandboxes.shopify_url}/_sandbox/shops",
                json={
                    "domain": shopify_shop_domain,
                    "plan": shopify_plan,
                    "currency": "USD",
                    "locations": ["Main warehouse"],
                },
            )
        ).raise_for_status()
    return await _create_tiktok_shop(http, sandboxes, region)


async def _create_tiktok_shop(
    http: httpx.AsyncClient, sandboxes: Sandboxes, region: str, seller_id: str | None = None
) -> dict[str, str]:
    """A TikTok shop not yet authorized (`seller_id`: another shop of that seller)."""
    response = await http.post(
        f"{sandboxes.tiktok_url}/_sandbox/shops",
        json={
            "app_key": TIKTOK_APP_KEY,
            "region": region,
            "issue_tokens": False,
            "seller_id": seller_id,
            # Unique across sandbox processes sharing one database (19 digits).
            "shop_id": str(random.randrange(7 * 10**18, 8 * 10**18)),
        },
    )
    shop: dict[str, str] = response.raise_for_status().json()
    return shop


@dataclass(frozen=True)
class AddedRegion:
    """A TikTok shop the seller opened and authorized ("Add Country/Region"), or tried to."""

    shop_id: str
    cipher: str
    region: str
    response: httpx.Response  # the gateway's answer to TikTok's callback


async def add_region(
    gateway_url: str,
    sandboxes: Sandboxes,
    merchant: Merchant,
    region: str,
    *,
    same_seller: bool = True,
) -> AddedRegion:
    """Open a shop in `region` (of the merchant's TikTok seller, or of another one) and add it
    to the merchant's connection through "Add Country/Region" and TikTok's OAuth."""
    async with httpx.AsyncClient(timeout=30) as http:
        first = (
            (await http.get(f"{sandboxes.tiktok_url}/_sandbox/shops/{merchant.tiktok_shop_id}"))
            .raise_for_status()
            .json()
        )
        seller = first["seller_id"] if same_seller else None
        shop = await _create_tiktok_shop(http, sandboxes, region, seller)
        started = await http.post(
            f"{gateway_url}/api/v1/connections/{merchant.connection_id}/regions",
            json={"region": region},
        )
        url = started.raise_for_status().json()["tiktok_authorize_url"]
        code = (
            (await http.post(f"{sandboxes.tiktok_url}/_sandbox/shops/{shop['shop_id']}/auth_codes"))
            .raise_for_status()
            .json()["code"]
        )
        answer = await http.get(
            f"{gateway_url}/oauth/tiktok/callback",
            params={"code": code, "state": httpx.URL(url).params["state"]},
        )
    return AddedRegion(shop["shop_id"], shop["cipher"], region, answer)


def add_region_sync(
    gateway_url: str, sandboxes: Sandboxes, merchant: Merchant, region: str, **kwargs: bool
) -> AddedRegion:
    """Synchronous add_region."""
    return asyncio.run(add_region(gateway_url, sandboxes, merchant, region, **kwargs))


async def _approve_installs(
    http: httpx.AsyncClient,
    gateway_url: str,
    sandboxes: Sandboxes,
    created: dict[str, str],
    tiktok_shop_id: str,
) -> dict[str, str]:
    """The merchant approves both installs; returns the gateway's answer to TikTok's callback."""
    # The merchant approves the install in Shopify, which redirects to our callback.
    (await http.get(created["shopify_authorize_url"], follow_redirects=True)).raise_for_status()
    # The seller approves in TikTok Seller Center; TikTok redirects with a one-time code.
    code = (
        (await http.post(f"{sandboxes.tiktok_url}/_sandbox/shops/{tiktok_shop_id}/auth_codes"))
        .raise_for_status()
        .json()["code"]
    )
    state = httpx.URL(created["tiktok_authorize_url"]).params["state"]
    connected: dict[str, str] = (
        (
            await http.get(
                f"{gateway_url}/oauth/tiktok/callback", params={"code": code, "state": state}
            )
        )
        .raise_for_status()
        .json()
    )
    return connected


def connect_merchant_sync(gateway_url: str, sandboxes: Sandboxes, **kwargs: Any) -> Merchant:
    """Synchronous connect_merchant."""
    return asyncio.run(connect_merchant(gateway_url, sandboxes, **kwargs))
