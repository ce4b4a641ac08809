"""`ShopifyClient`: the composition root of one shop's Admin API access."""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from shopify.bulk import BulkOperations
from shopify.config import ShopifyConfig
from shopify.errors import ShopifyAuthError
from shopify.fulfillments import Fulfillments
from shopify.inventory import Inventory
from shopify.oauth import is_shop_domain
from shopify.orders import Orders
from shopify.products import Products
from shopify.session import JSON, GraphQLSession
from shopify.throttle import ThrottleRegistry
from shopify.tokens import StaticToken, TokenSource
from shopify.variants import Variants
from shopify.webhook_subscriptions import WebhookSubscriptions

# Buckets are per app and shop (B3); one registry per process keeps calls from several
# clients of the same shop inside one budget.
_PROCESS_THROTTLE = ThrottleRegistry()


class ShopifyClient:
    """Async Admin GraphQL client for one shop; use as `async with ShopifyClient(...)`."""

    def __init__(
        self,
        shop: str,
        token: str | TokenSource,
        *,
        config: ShopifyConfig | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        throttle: ThrottleRegistry | None = None,
    ) -> None:
        if not is_shop_domain(shop):
            raise ShopifyAuthError("shop must be a *.myshopify.com domain")
        self.config = config or ShopifyConfig()
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=self.config.timeout_seconds,
            headers={"User-Agent": self.config.user_agent, **self.config.extra_headers},
        )
        source = StaticToken(token) if isinstance(token, str) else token
        self.session = GraphQLSession(
            shop, source, self.config, self._http, throttle or _PROCESS_THROTTLE
        )
        self.products = Products(self.session)
        self.bulk = BulkOperations(self.session, self._http)
        self.inventory = Inventory(self.session)
        self.variants = Variants(self.session)
        self.orders = Orders(self.session)
        self.fulfillments = Fulfillments(self.session)
        self.webhooks = WebhookSubscriptions(self.session)

    @property
    def shop(self) -> str:
        """The `name.myshopify.com` domain this client talks to."""
        return self.session.shop

    async def execute(
        self, document: str, variables: Mapping[str, Any] | None = None, *, operation: str
    ) -> JSON:
        """Run any read-only or idempotent GraphQL document (escape hatch)."""
        return await self.session.execute(document, variables, operation=operation)

    def check_budget(self, operation: str, *, mutation: bool = True) -> None:
        """Raise `ShopifyBudgetWait` when `operation` would wait for the store's cost budget
        longer than `config.max_budget_wait_seconds` (checked before work leading to it)."""
        self.session.check_budget(operation, mutation=mutation)

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> ShopifyClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
