"""The one exception tree raised by the TikTok Shop client, typed by platform code (reference A5).

TikTokShopError
├── TransportError              no usable HTTP response (network failure, timeout)
│   └── RequestTimeout
└── ApiError                    the platform answered with a non-zero `code` or an HTTP error
    ├── RateLimited             36009002 / HTTP 429           (transient)
    ├── ServerError             HTTP 5xx, 36009003, 36009007  (transient)
    ├── CredentialError         105xxx, 36009004, 36009033
    │   ├── TokenExpired        105002
    │   └── InvalidSign         106001
    ├── MissingShopCipher       106013
    └── BusinessError           any other per-endpoint code (kept with its message)
"""

from dataclasses import dataclass


class TikTokShopError(Exception):
    """Base of every error this client raises."""


class TransportError(TikTokShopError):
    """The request got no usable HTTP response (connection refused, reset, protocol error)."""

    def __init__(self, message: str, *, request_sent: bool) -> None:
        super().__init__(message)
        # False only when we know the request never left (connect failure): safe to retry anything.
        self.request_sent = request_sent


class RequestTimeout(TransportError):
    """No response arrived in time; the platform may or may not have committed the request."""


@dataclass(eq=False)
class ApiError(TikTokShopError):
    """The platform rejected the request; `code` is the platform's error code (0 never appears)."""

    code: int
    message: str
    request_id: str = ""
    http_status: int = 200

    def __post_init__(self) -> None:
        super().__init__(
            f"TikTok Shop error {self.code}: {self.message} (request {self.request_id})"
        )


@dataclass(eq=False)
class RateLimited(ApiError):
    """Too many requests for this API and shop (36009002, HTTP 429); nothing was processed."""

    retry_after: float | None = None


class ServerError(ApiError):
    """Platform-side failure (HTTP 5xx, 36009003 internal error, 36009007 timeout)."""


class CredentialError(ApiError):
    """Missing or invalid credential or common parameter (105xxx, 36009004, 36009033)."""


class TokenExpired(CredentialError):
    """The access token expired (105002): refresh it."""


class InvalidSign(CredentialError):
    """The `sign` query parameter does not match the request (106001, HTTP 401)."""


class MissingShopCipher(ApiError):
    """A shop-scoped endpoint was called without `shop_cipher` (106013)."""


class BusinessError(ApiError):
    """A per-endpoint business rule rejected the request (e.g. 12052xxx products)."""


RATE_LIMITED = 36009002
INTERNAL_ERROR = 36009003
INVALID_CREDENTIAL = 36009004
PLATFORM_TIMEOUT = 36009007
TOKEN_EXPIRED = 105002
INVALID_SIGN = 106001
MISSING_SHOP_CIPHER = 106013

_BY_CODE: dict[int, type[ApiError]] = {
    RATE_LIMITED: RateLimited,
    INTERNAL_ERROR: ServerError,
    PLATFORM_TIMEOUT: ServerError,
    INVALID_CREDENTIAL: CredentialError,
    36009033: CredentialError,
    TOKEN_EXPIRED: TokenExpired,
    INVALID_SIGN: InvalidSign,
    MISSING_SHOP_CIPHER: MissingShopCipher,
}


def error_class(code: int, http_status: int) -> type[ApiError]:
    """Pick the exception class for a platform code, falling back on the HTTP status."""
    if code in _BY_CODE:
        return _BY_CODE[code]
    if http_status == 429:
        return RateLimited
    if http_status >= 500:
        return ServerError
    # ECOMPHP treats the 105xxx family as credential errors (reference A5).
    if 105000 <= code < 106000:
        return CredentialError
    return BusinessError


def api_error(
    code: int,
    message: str,
    *,
    request_id: str = "",
    http_status: int = 200,
    retry_after: float | None = None,
) -> ApiError:
    """Build the typed error for a failed response."""
    cls = error_class(code, http_status)
    if cls is RateLimited:
        return RateLimited(code, message, request_id, http_status, retry_after)
    return cls(code, message, request_id, http_status)
