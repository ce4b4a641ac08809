"""Settings of the gateway service."""

from datetime import timedelta
from typing import Self

from connector_connections import PlatformSettings
from connector_runtime.settings import ServiceSettings
from pydantic import Field, SecretStr, model_validator

from gateway.core.login_limits import LoginLimit


class GatewaySettings(ServiceSettings, PlatformSettings):
    """Gateway settings (environment variables)."""

    service_name: str = "gateway"
    http_port: int = 8000
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="URL the platforms reach the gateway at (OAuth redirects, webhook callbacks).",
    )
    shopify_scopes: str = Field(
        default="read_products,write_products,read_inventory,write_inventory,read_orders,"
        "write_orders,read_fulfillments,write_fulfillments,read_locations",
        description="Comma-separated Shopify access scopes requested at install.",
    )
    token_refresh_interval_seconds: float = Field(
        default=300, gt=0, description="How often the gateway looks for tokens to refresh."
    )
    token_refresh_ahead_seconds: float = Field(
        default=86_400, ge=0, description="Refresh a platform token this long before it expires."
    )
    catalog_sync_url: str = Field(default="http://127.0.0.1:8001", description="catalog-sync API.")
    order_relay_url: str = Field(default="http://127.0.0.1:8002", description="order-relay API.")
    inventory_guard_url: str = Field(
        default="http://127.0.0.1:8003", description="inventory-guard API."
    )
    price_promotions_url: str = Field(
        default="http://127.0.0.1:8004", description="price-promotions API."
    )
    gateway_require_login: bool = Field(
        default=True,
        description="Require a session or API token on every `/api/v1` route (ADR 0800). `false`"
        " is the single-account development mode (ADR 0820): every request acts for the bootstrap"
        " account, refused unless `CONNECTOR_ENVIRONMENT=development`.",
    )
    connector_environment: str = Field(
        default="production",
        description="`production` or `development`; only development allows"
        " `GATEWAY_REQUIRE_LOGIN=false`.",
        pattern="^(production|development)$",
    )
    pending_connection_ttl_seconds: float = Field(
        default=86_400,
        gt=0,
        description="A connection not fully authorized this long after its creation expires: it is"
        " removed, and its shop domain free for another connection (ADR 0820).",
    )
    session_lifetime_seconds: float = Field(
        default=43_200, gt=0, description="How long a browser session lasts after login."
    )
    api_token_max_days: int = Field(
        default=365, ge=1, description="Longest lifetime a personal API token may be given."
    )
    login_max_failures_per_email: int = Field(
        default=10,
        ge=1,
        description="Failed logins for one email within the window before lockout.",
    )
    login_max_failures_per_address: int = Field(
        default=50,
        ge=1,
        description="Failed logins from one client address within the window before lockout.",
    )
    login_window_seconds: float = Field(
        default=60, gt=0, description="Window the failed logins are counted in."
    )
    login_lockout_seconds: float = Field(
        default=300, gt=0, description="How long an email or address stays locked (429)."
    )
    smtp_host: str = Field(
        default="127.0.0.1", description="SMTP server the gateway sends mail through."
    )
    smtp_port: int = Field(default=25, ge=1, le=65_535, description="Port of the SMTP server.")
    smtp_username: str | None = Field(default=None, description="SMTP login (none: no AUTH).")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_starttls: bool = Field(
        default=True,
        description="Upgrade the SMTP connection with STARTTLS (refuse if offered not).",
    )
    mail_from: str = Field(
        default="connector@localhost", description="Sender address of the mail the gateway sends."
    )
    mail_retry_min_seconds: float = Field(
        default=10, gt=0, description="Wait after a mail's first failed send (doubling after)."
    )
    mail_retry_max_seconds: float = Field(
        default=900, gt=0, description="Longest wait between two tries of one mail."
    )
    notification_digest_seconds: float = Field(
        default=3_600,
        gt=0,
        description="Push/publish failures of a connection are gathered this long into one mail.",
    )
    notification_expiry_check_seconds: float = Field(
        default=3_600, gt=0, description="How often TikTok grants ending soon are looked for."
    )
    task_stream_seconds: float = Field(
        default=300,
        gt=0,
        description="A task stream ends after this long; the browser reconnects (and so"
        " logs in again: a stream never outlives its session by more than this).",
    )
    invitation_lifetime_seconds: float = Field(
        default=604_800, gt=0, description="How long an invitation link can set a password."
    )
    password_reset_lifetime_seconds: float = Field(
        default=3_600, gt=0, description="How long a password-reset link can set a password."
    )

    @model_validator(mode="after")
    def _login_off_only_in_development(self) -> Self:
        if not self.gateway_require_login and self.connector_environment != "development":
            raise ValueError(
                "GATEWAY_REQUIRE_LOGIN=false (the single-account development mode) needs"
                " CONNECTOR_ENVIRONMENT=development"
            )
        return self

    def login_limit(self, kind: str) -> LoginLimit:
        """The rate limit of failed logins per `email` or per client `address`."""
        return LoginLimit(
            max_failures=getattr(self, f"login_max_failures_per_{kind}"),
            window=timedelta(seconds=self.login_window_seconds),
            lockout=timedelta(seconds=self.login_lockout_seconds),
        )

    def service_url(self, service: str) -> str:
        """Base URL of another service's API, by service name."""
        url: str = getattr(self, f"{service.replace('-', '_')}_url")
        return url
