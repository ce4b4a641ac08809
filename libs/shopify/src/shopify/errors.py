"""The one exception tree raised by the Shopify client.

ShopifyError
├── ShopifyAuthError            401/403, bad or expired token, OAuth/HMAC failures
├── ShopifyTransportError       network/5xx/timeouts after retries (may be ambiguous for writes)
│   └── AmbiguousWriteError     a non-idempotent mutation may or may not have been applied
├── ShopifyThrottledError       still THROTTLED / 429 after every retry
│   └── ShopifyBudgetWait       the call would wait longer than allowed for the cost budget
├── ShopifyGraphQLError         top-level `errors` (validation, MAX_COST_EXCEEDED, ...)
└── ShopifyUserError            `userErrors` of a mutation, as readable reasons
    └── InventoryStaleError     compare-and-set lost: quantity changed since it was read
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class ShopifyError(Exception):
    """Base of every error raised by this package."""


class ShopifyAuthError(ShopifyError):
    """Authentication or authorization failed (bad token, bad HMAC, bad shop domain)."""


class ShopifyTransportError(ShopifyError):
    """The request failed in transit or with a 5xx after all retries."""


class AmbiguousWriteError(ShopifyTransportError):
    """A non-idempotent mutation got no definite answer; it may have been applied."""


class ShopifyThrottledError(ShopifyError):
    """Shopify kept throttling the call after every retry."""


class ShopifyBudgetWait(ShopifyThrottledError):
    """The shop's cost budget would make the call wait longer than the client allows
    (`ShopifyConfig.max_budget_wait_seconds`); nothing was sent. Retry after `retry_after`."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"the store's API budget allows this call in {retry_after:.1f} s")


@dataclass(frozen=True)
class GraphQLErrorDetail:
    """One entry of a GraphQL `errors` array."""

    message: str
    code: str | None = None


class ShopifyGraphQLError(ShopifyError):
    """The response carried top-level GraphQL `errors` (the query was not executed as asked)."""

    def __init__(self, errors: Sequence[GraphQLErrorDetail]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(_describe(e) for e in self.errors) or "GraphQL error")

    @property
    def codes(self) -> set[str]:
        """The `extensions.code` values present."""
        return {e.code for e in self.errors if e.code}


@dataclass(frozen=True)
class UserErrorDetail:
    """One `userErrors` entry: which input field, what is wrong, and Shopify's code."""

    field: tuple[str, ...]
    message: str
    code: str | None = None

    @property
    def reason(self) -> str:
        """A sentence a merchant can act on."""
        where = ".".join(self.field)
        return f"{where}: {self.message}" if where else self.message


class ShopifyUserError(ShopifyError):
    """A mutation answered with `userErrors`; nothing was changed by the failing part."""

    def __init__(self, operation: str, errors: Sequence[UserErrorDetail]) -> None:
        self.operation = operation
        self.errors = tuple(errors)
        super().__init__(f"{operation} failed: " + "; ".join(self.reasons))

    @property
    def reasons(self) -> list[str]:
        """Readable reasons, one per user error."""
        return [e.reason for e in self.errors]

    @property
    def codes(self) -> set[str]:
        """The error codes present."""
        return {e.code for e in self.errors if e.code}


class InventoryStaleError(ShopifyUserError):
    """Compare-and-set failed: the persisted quantity no longer matches (B6)."""


def _describe(error: GraphQLErrorDetail) -> str:
    return f"{error.message} ({error.code})" if error.code else error.message
