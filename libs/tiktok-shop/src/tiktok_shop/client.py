"""`TikTokShopClient`: the one entry point, grouping endpoint areas over a shared HTTP pool."""

from collections.abc import Mapping
from types import TracebackType

import httpx

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi
from tiktok_shop.api.catalog import CatalogApi
from tiktok_shop.api.fulfillment import FulfillmentApi
from tiktok_shop.api.global_products import GlobalProductsApi
from tiktok_shop.api.logistics import LogisticsApi
from tiktok_shop.api.optimization import OptimizationApi
from tiktok_shop.api.orders import OrdersApi
from tiktok_shop.api.products import ProductsApi
from tiktok_shop.api.promotions import PromotionsApi
from tiktok_shop.api.returns import ReturnsApi
from tiktok_shop.api.webhooks import WebhooksApi
from tiktok_shop.auth import DEFAULT_AUTH_BASE_URL, OAuthClient, authorize_url
from tiktok_shop.calls import AccessTokenProvider, Credentials, RetryPolicy, SignedCaller
from tiktok_shop.models.shops import AuthorizedShop
from tiktok_shop.ratelimit import DEFAULT_QPS, QpsLimiter

DEFAULT_BASE_URL = "https://open-api.tiktokglobalshop.com"


def _static_token(token: str) -> AccessTokenProvider:
    async def provide() -> str:
        return token

    return provide


async def _no_token() -> str:
    raise RuntimeError("this TikTokShopClient has no access token provider")


class TikTokShopClient:
    """Async TikTok Shop Open API client for one app, acting for one shop (`shop_cipher`).

    Use `with_shop(cipher)` for other shops of the same app: it shares the connection pool and
    the QPS limiter, whose budgets are per (endpoint, shop) as on the platform.
    """

    def __init__(
        self,
        *,
        app_key: str,
        app_secret: str,
        access_token: AccessTokenProvider | str | None = None,
        shop_cipher: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        auth_base_url: str = DEFAULT_AUTH_BASE_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 30.0,
        qps: float = DEFAULT_QPS,
        qps_per_endpoint: Mapping[str, float] | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._credentials = Credentials(app_key, app_secret)
        self._http = httpx.AsyncClient(
            base_url=base_url,
            transport=transport,
            timeout=timeout,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=100),
        )
        self._auth_base_url = auth_base_url
        self._limiter = QpsLimiter(qps, qps_per_endpoint)
        self._retry = retry or RetryPolicy()
        token = _static_token(access_token) if isinstance(access_token, str) else access_token
        self._bind(token or _no_token, shop_cipher)

    def _bind(self, token: AccessTokenProvider, shop_cipher: str | None) -> None:
        self._token = token
        self.shop_cipher = shop_cipher
        caller = SignedCaller(self._http, self._credentials, token, self._limiter, self._retry)
        self._shopless = AreaApi(caller, None)
        self.products = ProductsApi(caller, shop_cipher)
        self.catalog = CatalogApi(caller, shop_cipher)
        self.optimization = OptimizationApi(caller, shop_cipher)
        self.global_products = GlobalProductsApi(caller, shop_cipher)
        self.logistics = LogisticsApi(caller, shop_cipher)
        self.orders = OrdersApi(caller, shop_cipher)
        self.fulfillment = FulfillmentApi(caller, shop_cipher)
        self.returns = ReturnsApi(caller, shop_cipher)
        self.promotions = PromotionsApi(caller, shop_cipher)
        self.webhooks = WebhooksApi(caller, shop_cipher)
        self.oauth = OAuthClient(self._http, self._credentials, self._auth_base_url)

    def with_shop(
        self, shop_cipher: str, access_token: AccessTokenProvider | str | None = None
    ) -> "TikTokShopClient":
        """A client for another shop, sharing this one's connections and QPS limiter."""
        clone = object.__new__(TikTokShopClient)
        clone.__dict__.update(self.__dict__)
        token = _static_token(access_token) if isinstance(access_token, str) else access_token
        clone._bind(token or self._token, shop_cipher)
        return clone

    def authorize_url(self, state: str, service_id: str | None = None) -> str:
        """The link that sends a seller to authorize this app (reference A4)."""
        return authorize_url(self._credentials.app_key, state, service_id=service_id)

    async def authorized_shops(self) -> list[AuthorizedShop]:
        """Get Authorized Shops: the shops (and ciphers) this token may act for."""
        data = await self._shopless._call(ep.AUTHORIZED_SHOPS)
        return [AuthorizedShop.model_validate(s) for s in data.get("shops") or []]

    async def aclose(self) -> None:
        """Close the connection pool (shared with every `with_shop` clone)."""
        await self._http.aclose()

    async def __aenter__(self) -> "TikTokShopClient":
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
