"""The platform's response envelope and the error type handlers raise (reference A5)."""

import itertools
import time
from typing import Any

from fastapi.responses import JSONResponse

_counter = itertools.count(1)


def request_id() -> str:
    """A platform-looking request id: UTC time plus a sequence number."""
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + f"{next(_counter):018d}"


class PlatformError(Exception):
    """A failed API call: platform `code`, its message, and the HTTP status it comes with."""

    def __init__(
        self, code: int, message: str, http_status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http_status = http_status
        self.headers = headers or {}


def envelope(data: Any, code: int = 0, message: str = "Success") -> dict[str, Any]:
    """Wrap `data` in `{code, message, request_id, data}`."""
    return {"code": code, "message": message, "request_id": request_id(), "data": data}


def ok(data: Any = None) -> JSONResponse:
    """A success response."""
    return JSONResponse(envelope({} if data is None else data))


def error_response(error: PlatformError) -> JSONResponse:
    """The response of a failed call; errors carry `data: null` like the platform."""
    body = envelope(None, error.code, error.message)
    return JSONResponse(body, status_code=error.http_status, headers=error.headers)


# Common errors (reference A5). HTTP statuses are observed only for 106001 (401) and 36009002
# (429); the others are this sandbox's choice (PART E).
def invalid_credential(message: str) -> PlatformError:
    """36009004: missing or invalid credential or common parameter."""
    return PlatformError(36009004, message, 401)


def invalid_param(code: int, message: str) -> PlatformError:
    """A per-endpoint business error (HTTP 200, like the platform's examples)."""
    return PlatformError(code, message, 200)
