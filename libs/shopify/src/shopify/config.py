"""Client configuration: pinned API version, base URL, timeouts and version-gated quirks."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_API_VERSION = "2026-01"


@dataclass(frozen=True)
class ShopifyConfig:
    """Settings for one `ShopifyClient`; read once at startup, never at import time."""

    api_version: str = DEFAULT_API_VERSION
    # `{shop}` is the full `name.myshopify.com` domain; point it at the sandbox in tests, e.g.
    # "http://127.0.0.1:8123/shops/{shop}" (see libs/shopify-sandbox/README.md).
    base_url_template: str = "https://{shop}"
    timeout_seconds: float = 30.0
    max_attempts: int = 6
    max_backoff_seconds: float = 60.0
    # Search term used to find an order we created before; `source_identifier` support in the
    # orders search syntax is UNCONFIRMED (reference B7), hence configurable.
    order_lookup_query: str = 'source_identifier:"{value}"'
    # Search is served from an index that may trail writes (UNCONFIRMED lag), so an ambiguous
    # create is looked up several times before we conclude it was not applied.
    order_lookup_attempts: int = 4
    order_lookup_interval_seconds: float = 1.0
    # Requested-cost guess for an operation never seen before; refined from responses.
    default_query_cost: int = 50
    default_mutation_cost: int = 10
    # Longest wait for the shop's cost budget before a call; past it the call raises
    # `ShopifyBudgetWait` instead of sleeping (None: always wait). A worker shared by many
    # shops sets it, so one throttled shop does not hold it (ADR 0310).
    max_budget_wait_seconds: float | None = None
    bulk_poll_interval_seconds: float = 1.0
    bulk_poll_max_interval_seconds: float = 10.0
    user_agent: str = "tiktok-shopify-connector/0.1"
    extra_headers: dict[str, str] = field(default_factory=dict)

    def graphql_url(self, shop: str) -> str:
        """The Admin GraphQL endpoint of `shop` for the pinned version."""
        return f"{self.shop_base_url(shop)}/admin/api/{self.api_version}/graphql.json"

    def shop_base_url(self, shop: str) -> str:
        """The root URL of `shop` (admin, oauth) under the configured template."""
        return self.base_url_template.format(shop=shop).rstrip("/")

    @property
    def uses_change_from_quantity(self) -> bool:
        """2026-04 made `changeFromQuantity` mandatory and removed `compareQuantity` (B6)."""
        return self.api_version == "unstable" or self.api_version >= "2026-04"

    @property
    def requires_idempotency_key(self) -> bool:
        """`@idempotent` is mandatory from 2026-04 and accepted from 2026-01 (B6)."""
        return self.api_version == "unstable" or self.api_version >= "2026-01"
