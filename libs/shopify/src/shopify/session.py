"""One shop's GraphQL endpoint: auth header, cost throttling, classified retries, metrics."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import httpx
import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from shopify.config import ShopifyConfig
from shopify.errors import (
    AmbiguousWriteError,
    GraphQLErrorDetail,
    ShopifyAuthError,
    ShopifyBudgetWait,
    ShopifyError,
    ShopifyGraphQLError,
    ShopifyThrottledError,
    ShopifyTransportError,
)
from shopify.observe import call_observer
from shopify.throttle import QueryCost, ThrottleRegistry, parse_cost
from shopify.tokens import TokenSource

log = structlog.get_logger("shopify")
PLATFORM = "shopify"
JSON = dict[str, Any]


class _Retry(Exception):
    """A failure worth another attempt; `final` is raised when attempts run out."""

    def __init__(self, final: ShopifyError, delay: float | None = None) -> None:
        super().__init__(str(final))
        self.final = final
        self.delay = delay


class GraphQLSession:
    """Executes GraphQL documents against one shop's Admin API."""

    def __init__(
        self,
        shop: str,
        token: TokenSource,
        config: ShopifyConfig,
        http: httpx.AsyncClient,
        throttle: ThrottleRegistry,
    ) -> None:
        self.shop = shop
        self.config = config
        self._token = token
        self._http = http
        self._throttle = throttle
        self._url = config.graphql_url(shop)

    async def execute(
        self,
        document: str,
        variables: Mapping[str, Any] | None = None,
        *,
        operation: str,
        safe_to_repeat: bool = True,
    ) -> JSON:
        """Run `document` and return its `data`; retries only what can't double-apply.

        With `safe_to_repeat=False` (non-idempotent mutations) a timeout or 5xx after the
        request was sent raises `AmbiguousWriteError` instead of retrying blindly.
        """
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.config.max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retry),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._attempt(document, variables, operation, safe_to_repeat)
        except _Retry as exc:
            raise exc.final from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retry) and exc.delay is not None:
            return min(exc.delay, self.config.max_backoff_seconds)
        backoff: float = 0.25 * 2 ** (state.attempt_number - 1)
        return min(backoff, self.config.max_backoff_seconds)

    async def _attempt(
        self,
        document: str,
        variables: Mapping[str, Any] | None,
        operation: str,
        safe_to_repeat: bool,
    ) -> JSON:
        is_mutation = document.lstrip().startswith("mutation")
        estimate = self._estimate(operation, mutation=is_mutation)
        bucket = self._throttle.bucket(self.shop)
        waited = await bucket.acquire(estimate, self.config.max_budget_wait_seconds)
        if waited > 0:
            call_observer().throttle_wait(PLATFORM, operation, waited)
        cost: QueryCost | None = None
        try:
            response, started = await self._post(document, variables, operation, safe_to_repeat)
            body = self._json(response, operation, safe_to_repeat, started)
            cost = parse_cost(body.get("extensions"))
        finally:
            bucket.release(estimate, cost.throttle_status if cost else None)
        if cost is not None and cost.requested:
            self._throttle.learn_cost(self.shop, operation, cost.requested)
        return self._data(body, operation, cost, started)

    def _estimate(self, operation: str, *, mutation: bool) -> int:
        default = self.config.default_mutation_cost if mutation else self.config.default_query_cost
        return self._throttle.estimated_cost(self.shop, operation, default)

    def check_budget(self, operation: str, *, mutation: bool) -> None:
        """Raise `ShopifyBudgetWait` when `operation` would now wait for the budget longer than
        `max_budget_wait_seconds` (before work that would end in that call)."""
        limit = self.config.max_budget_wait_seconds
        if limit is None:
            return
        wait = self._throttle.bucket(self.shop).wait_for(
            self._estimate(operation, mutation=mutation)
        )
        if wait > limit:
            raise ShopifyBudgetWait(wait)

    async def _post(
        self,
        document: str,
        variables: Mapping[str, Any] | None,
        operation: str,
        safe_to_repeat: bool,
    ) -> tuple[httpx.Response, float]:
        """Send the document; return the checked response and when the exchange started."""
        token = await self._token.current()
        payload = {"query": document, "variables": dict(variables or {})}
        started = time.perf_counter()
        try:
            response = await self._http.post(
                self._url, json=payload, headers={"X-Shopify-Access-Token": token}
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # The request never reached Shopify: always safe to try again.
            self._count(operation, "network_error", started)
            raise _Retry(ShopifyTransportError(f"{operation}: {type(exc).__name__}")) from exc
        except httpx.HTTPError as exc:
            self._count(operation, "timeout", started)
            raise self._ambiguous(operation, type(exc).__name__, safe_to_repeat) from exc
        await self._check_status(response, operation, token, safe_to_repeat, started)
        return response, started

    async def _check_status(
        self,
        response: httpx.Response,
        operation: str,
        token: str,
        safe_to_repeat: bool,
        started: float,
    ) -> None:
        status = response.status_code
        if status in (401, 403):
            self._count(operation, "unauthorized", started)
            if status == 401 and await self._token.rejected(token) is not None:
                raise _Retry(ShopifyAuthError(f"{operation}: access token rejected"), delay=0)
            raise ShopifyAuthError(f"{operation}: HTTP {status} from Shopify (token rejected)")
        if status == 429:
            self._count(operation, "throttled", started)
            call_observer().throttled_response(PLATFORM, operation)
            raise _Retry(
                ShopifyThrottledError(f"{operation}: HTTP 429 after every retry"),
                delay=_retry_after(response),
            )
        if status >= 500:
            self._count(operation, "server_error", started)
            raise self._ambiguous(operation, f"HTTP {status}", safe_to_repeat)
        if status >= 400:
            self._count(operation, "client_error", started)
            raise ShopifyGraphQLError([GraphQLErrorDetail(f"HTTP {status}: {response.text[:200]}")])

    def _ambiguous(self, operation: str, reason: str, safe_to_repeat: bool) -> Exception:
        log.warning("shopify.call_failed", shop=self.shop, operation=operation, reason=reason)
        if safe_to_repeat:
            return _Retry(ShopifyTransportError(f"{operation}: {reason} after every retry"))
        return AmbiguousWriteError(f"{operation}: {reason}; the write may have been applied")

    def _json(
        self, response: httpx.Response, operation: str, safe_to_repeat: bool, started: float
    ) -> JSON:
        try:
            body = response.json()
        except ValueError as exc:
            self._count(operation, "invalid_body", started)
            reason = "Shopify answered with a body that is not JSON"
            if not safe_to_repeat:
                raise AmbiguousWriteError(f"{reason}; the write may have been applied") from exc
            raise _Retry(ShopifyTransportError(reason)) from exc
        return body if isinstance(body, dict) else {}

    def _data(self, body: JSON, operation: str, cost: QueryCost | None, started: float) -> JSON:
        errors = [_error_detail(e) for e in body.get("errors") or []]
        if any(e.code == "THROTTLED" for e in errors):
            self._count(operation, "throttled", started)
            call_observer().throttled_response(PLATFORM, operation)
            log.info("shopify.throttled", shop=self.shop, operation=operation)
            # Not executed, so always safe to repeat; the bucket model now holds the server's
            # view and `acquire` waits (requested - available) / restoreRate before retrying.
            delay = 0.0 if cost and cost.throttle_status else 1.0
            raise _Retry(ShopifyThrottledError(f"{operation}: THROTTLED after every retry"), delay)
        if errors:
            self._count(operation, "graphql_error", started)
            raise ShopifyGraphQLError(errors)
        self._count(operation, "ok", started)
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    def _count(self, operation: str, status: str, started: float) -> None:
        seconds = time.perf_counter() - started
        call_observer().external_call(PLATFORM, operation, status, seconds)


def _error_detail(error: object) -> GraphQLErrorDetail:
    if not isinstance(error, dict):
        return GraphQLErrorDetail(str(error))
    extensions = error.get("extensions")
    code = extensions.get("code") if isinstance(extensions, dict) else None
    return GraphQLErrorDetail(str(error.get("message", "")), str(code) if code else None)


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "1")))
    except ValueError:
        return 1.0
