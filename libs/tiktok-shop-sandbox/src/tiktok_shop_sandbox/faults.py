"""Fault injection per request-path pattern: 429s, 5xx, timeouts, latency, commit-then-drop."""

import asyncio
import fnmatch
import random
from collections.abc import Awaitable, Callable

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from tiktok_shop_sandbox.envelope import PlatformError, error_response
from tiktok_shop_sandbox.quota import retry_after_header


class FaultRule(BaseModel):
    """Faults for requests whose path matches `path_pattern` (fnmatch glob, e.g. "/order/*")."""

    path_pattern: str
    method: str | None = None
    rate_limit_probability: float = 0.0
    server_error_probability: float = 0.0
    timeout_probability: float = 0.0
    drop_after_commit_probability: float = 0.0
    latency_ms: int = 0
    # How long a "timeout" or a dropped response hangs before the server gives up on it.
    hang_seconds: float = 10.0
    # Stop applying after this many injected faults (None: forever).
    times: int | None = None
    # How many faults this rule has injected so far (read back with GET /_sandbox/faults).
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        """Tell whether this rule covers a request."""
        if self.method and self.method.upper() != method.upper():
            return False
        return fnmatch.fnmatchcase(path, self.path_pattern)


class Faults:
    """The active fault rules and the random source deciding them."""

    def __init__(self, rng: random.Random) -> None:
        self.rules: list[FaultRule] = []
        self._rng = rng

    def _roll(self, rule: FaultRule, probability: float) -> bool:
        if rule.times is not None and rule.times <= 0:
            return False
        hit = probability > 0 and self._rng.random() < probability
        if hit:
            rule.fired += 1
        if hit and rule.times is not None:
            rule.times -= 1
        return hit

    async def apply(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Run the request through the matching rules (control-plane paths are never faulted)."""
        path = request.url.path
        rule = next((r for r in self.rules if r.matches(request.method, path)), None)
        if rule is None or path.startswith("/_sandbox"):
            return await call_next(request)
        if rule.latency_ms:
            await asyncio.sleep(rule.latency_ms / 1000)
        if self._roll(rule, rule.rate_limit_probability):
            error = PlatformError(
                36009002, "Too many requests", 429, {"Retry-After": retry_after_header(1)}
            )
            return error_response(error)
        if self._roll(rule, rule.server_error_probability):
            return error_response(PlatformError(36009003, "Internal error. Please try again.", 500))
        if self._roll(rule, rule.timeout_probability):
            await asyncio.sleep(rule.hang_seconds)
            return error_response(PlatformError(36009007, "Request timeout", 504))
        response = await call_next(request)
        if self._roll(rule, rule.drop_after_commit_probability):
            # The effect is committed; the caller just never hears back in time.
            await asyncio.sleep(rule.hang_seconds)
        return response
