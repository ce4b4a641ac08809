"""The gateway's resources: settings, pool, clock, the proxy's HTTP client, the task feed the
console's streams hear from, and the platform clients it builds (the app's own: OAuth,
authorized shops, a new store's webhooks)."""

from dataclasses import dataclass, field

import asyncpg
import httpx
import structlog
from connector_runtime.deps import ServiceDeps
from shopify import ShopifyClient, ShopifyConfig
from shopify.oauth import ShopifyOAuth
from tiktok_shop import TikTokShopClient

from gateway.settings import GatewaySettings
from gateway.task_feed import TaskFeed

log = structlog.get_logger()


@dataclass(kw_only=True)
class Deps(ServiceDeps[GatewaySettings]):
    """What the gateway's routes and jobs share; a test may override the client builders."""

    _proxy_http: httpx.AsyncClient | None = None
    task_feed: TaskFeed = field(default_factory=TaskFeed)

    async def open(self, pool: asyncpg.Pool) -> None:
        """Take the pool, open the proxy's client and listen for task changes."""
        await super().open(pool)
        self.task_feed.start(self.settings.database_url, self.settings.schema_name)
        if not self.settings.gateway_require_login:  # allowed in development only (settings)
            log.warning(
                "gateway.single_account_dev_mode",
                detail="GATEWAY_REQUIRE_LOGIN=false: every /api/v1 request acts as an owner of"
                " the bootstrap account, without a login; never expose this gateway",
            )
        # Idle connections are dropped before the services' own 5 s keep-alive ends, so a
        # request never goes out on a socket the other side is closing; refused connects retry.
        self._proxy_http = httpx.AsyncClient(
            timeout=30,
            limits=httpx.Limits(keepalive_expiry=2.0),
            transport=httpx.AsyncHTTPTransport(retries=1),
        )

    @property
    def proxy_http(self) -> httpx.AsyncClient:
        """The client forwarding public API requests to the owning services."""
        if self._proxy_http is None:
            raise RuntimeError("the gateway has not started: its deps are not open")
        return self._proxy_http

    def shopify_oauth(self) -> ShopifyOAuth:
        """The Shopify OAuth client of the connector's app."""
        s = self.settings
        secret = s.shopify_client_secret.get_secret_value()
        return ShopifyOAuth(s.shopify_client_id, secret, self._shopify_config())

    def shopify_store(self, shop: str, access_token: str) -> ShopifyClient:
        """A Shopify client for a store just authorized (close it after use)."""
        return ShopifyClient(shop, access_token, config=self._shopify_config())

    def tiktok_app(self, access_token: str | None = None) -> TikTokShopClient:
        """The app's TikTok client: OAuth without a token, a seller's shops with one."""
        s = self.settings
        return TikTokShopClient(
            app_key=s.tiktok_app_key,
            app_secret=s.tiktok_app_secret.get_secret_value(),
            access_token=access_token,
            base_url=s.tiktok_api_base_url,
            auth_base_url=s.tiktok_auth_base_url,
        )

    def _shopify_config(self) -> ShopifyConfig:
        return ShopifyConfig(
            api_version=self.settings.shopify_api_version,
            base_url_template=self.settings.shopify_base_url_template,
        )

    async def aclose(self) -> None:
        """Stop the task feed and close the proxy's client."""
        await self.task_feed.stop()
        if self._proxy_http is not None:
            await self._proxy_http.aclose()
            self._proxy_http = None
        await super().aclose()
