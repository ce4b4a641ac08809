"""Signed calls to the Open API: pace, sign the bytes sent, parse the envelope, retry transients.

Request shape and signing follow reference A1/A2; error mapping and retry policy follow A5.
"""

import json
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import structlog
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from tiktok_shop.endpoints import Endpoint
from tiktok_shop.errors import (
    ApiError,
    RateLimited,
    RequestTimeout,
    ServerError,
    TikTokShopError,
    TransportError,
    api_error,
)
from tiktok_shop.observe import call_observer
from tiktok_shop.ratelimit import QpsLimiter
from tiktok_shop.signing import request_sign

JsonObject = dict[str, Any]
AccessTokenProvider = Callable[[], Awaitable[str]]
Files = Mapping[str, tuple[str, bytes, str]]

log = structlog.get_logger()


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently transient failures are retried."""

    max_attempts: int = 5
    backoff_base: float = 0.25
    backoff_max: float = 20.0


@dataclass(frozen=True)
class Credentials:
    """The app's key and secret (the secret only ever feeds HMACs)."""

    app_key: str
    app_secret: str


def serialize_body(body: Mapping[str, Any] | None) -> bytes:
    """Serialize a JSON body once; these bytes are both signed and sent (reference A2 step 4)."""
    if body is None:
        return b""
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def is_retryable(exc: BaseException, retry_safe: bool) -> bool:
    """Tell whether an attempt may be repeated without risking a duplicate effect."""
    # A 429 or a refused connection proves the platform processed nothing.
    if isinstance(exc, RateLimited):
        return True
    if isinstance(exc, TransportError) and not exc.request_sent:
        return True
    return retry_safe and isinstance(exc, ServerError | TransportError)


class SignedCaller:
    """Sends one logical API call, with pacing, signing, metrics and retries."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        credentials: Credentials,
        token: AccessTokenProvider,
        limiter: QpsLimiter,
        retry: RetryPolicy,
    ) -> None:
        self._http = http
        self._credentials = credentials
        self._token = token
        self._limiter = limiter
        self._retry = retry

    async def call(
        self,
        endpoint: Endpoint,
        shop_cipher: str | None,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
        files: Files | None = None,
        form: Mapping[str, str] | None = None,
        retry_safe: bool | None = None,
    ) -> JsonObject:
        """Call an endpoint and return the envelope's `data` (an empty dict when null)."""
        path = endpoint.path.format(**(path_params or {}))
        content = serialize_body(body)
        safe = endpoint.idempotent if retry_safe is None else retry_safe
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._retry.max_attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: is_retryable(exc, safe)),
            before_sleep=_log_retry(endpoint),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                return await self._attempt(
                    endpoint, shop_cipher, path, query or {}, content, files, form
                )
        raise AssertionError("unreachable: tenacity reraises the last error")

    async def _attempt(
        self,
        endpoint: Endpoint,
        shop_cipher: str | None,
        path: str,
        query: Mapping[str, str],
        content: bytes,
        files: Files | None,
        form: Mapping[str, str] | None,
    ) -> JsonObject:
        await self._limiter.acquire(endpoint.name, shop_cipher or "-")
        params = self._common_params(endpoint, shop_cipher, query)
        multipart = files is not None
        params["sign"] = request_sign(
            self._credentials.app_secret, path, params, content, multipart=multipart
        )
        headers = {"x-tts-access-token": await self._token()}
        if not multipart:
            headers["content-type"] = "application/json"
        request = self._http.build_request(
            endpoint.method,
            path,
            params=params,
            headers=headers,
            content=None if multipart else (content or None),
            files=files,
            data=form,
        )
        response = await send_request(self._http, request, endpoint.name)
        if response.status_code == 429:
            self._limiter.exhausted(endpoint.name, shop_cipher or "-")
        return parse_envelope(response, endpoint.name)

    def _common_params(
        self, endpoint: Endpoint, shop_cipher: str | None, query: Mapping[str, str]
    ) -> dict[str, str]:
        params = {"app_key": self._credentials.app_key, "timestamp": str(int(time.time()))}
        # Sending shop_cipher where it isn't expected fails with 36009004 (reference A1).
        if endpoint.shop_scoped and shop_cipher:
            params["shop_cipher"] = shop_cipher
        return params | dict(query)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RateLimited) and exc.retry_after is not None:
            return exc.retry_after + random.uniform(0, self._retry.backoff_base)
        # Full-jitter exponential backoff, as the rate-limit guide recommends (reference A5).
        ceiling = self._retry.backoff_base * 2 ** (state.attempt_number - 1)
        return random.uniform(0, min(self._retry.backoff_max, ceiling))


async def send_request(
    http: httpx.AsyncClient, request: httpx.Request, endpoint: str
) -> httpx.Response:
    started = time.perf_counter()
    try:
        response = await http.send(request)
    except httpx.TimeoutException as exc:
        _count(endpoint, "timeout", started)
        sent = not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
        raise RequestTimeout(f"{endpoint}: {type(exc).__name__}", request_sent=sent) from exc
    except httpx.TransportError as exc:
        _count(endpoint, "network", started)
        sent = not isinstance(exc, httpx.ConnectError)
        raise TransportError(f"{endpoint}: {type(exc).__name__}", request_sent=sent) from exc
    _count(endpoint, str(response.status_code), started)
    if response.status_code == 429:
        call_observer().throttled_response("tiktok", endpoint)
    return response


def _count(endpoint: str, status: str, started: float) -> None:
    call_observer().external_call("tiktok", endpoint, status, time.perf_counter() - started)


def parse_envelope(response: httpx.Response, endpoint: str) -> JsonObject:
    """Return `data` of a `{code,message,request_id,data}` envelope or raise its typed error."""
    try:
        envelope = response.json()
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict):
        raise api_error(
            -1,
            f"non-JSON response from {endpoint}",
            http_status=response.status_code,
            retry_after=_retry_after(response),
        )
    code = int(envelope.get("code", -1))
    if code != 0 or response.status_code >= 400:
        raise api_error(
            code,
            str(envelope.get("message", "")),
            request_id=str(envelope.get("request_id", "")),
            http_status=response.status_code,
            retry_after=_retry_after(response),
        )
    data = envelope.get("data")
    return data if isinstance(data, dict) else {}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def _log_retry(endpoint: Endpoint) -> Callable[[RetryCallState], None]:
    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        fields: dict[str, object] = {"endpoint": endpoint.name, "attempt": state.attempt_number}
        if isinstance(exc, ApiError):
            fields |= {"code": exc.code, "request_id": exc.request_id}
        elif isinstance(exc, TikTokShopError):
            fields["error"] = str(exc)
        log.warning("tiktok.retrying", **fields)

    return before_sleep
