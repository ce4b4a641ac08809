"""Settings of the gateway service."""

from connector_runtime.settings import ServiceSettings
from pydantic import Field, SecretStr


class GatewaySettings(ServiceSettings):
    """Gateway settings (environment variables)."""

    service_name: str = "gateway"
    http_port: int = 8000
    tiktok_app_key: str = Field(default="sandbox-app-key", description="TikTok Shop app key.")
    tiktok_app_secret: SecretStr = Field(
        default=SecretStr("sandbox-app-secret"),
        description="TikTok Shop app secret (verifies webhook signatures).",
    )
