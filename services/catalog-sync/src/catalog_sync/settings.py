"""Settings of the catalog-sync service."""

from connector_connections import PlatformSettings
from connector_runtime.settings import ServiceSettings
from pydantic import Field


class CatalogSyncSettings(ServiceSettings, PlatformSettings):
    """catalog-sync settings (environment variables)."""

    service_name: str = "catalog-sync"
    http_port: int = 8001
    catalog_push_chunk_size: int = Field(
        default=100, ge=1, description="Products per push command (one transaction each)."
    )
    catalog_push_concurrency: int = Field(
        default=16, ge=1, description="Products pushed at once within a chunk (the client paces)."
    )
    catalog_pull_batch_size: int = Field(
        default=250, ge=1, description="Pulled products stored (and progress shown) per batch."
    )
    catalog_bulk_timeout_seconds: float = Field(
        default=3600.0, gt=0, description="Longest wait for a Shopify bulk operation."
    )
    catalog_bulk_check_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A pull whose bulk operation has not been heard of for this long is checked "
        "with Shopify (a missed bulk_operations/finish webhook); also the check job's interval.",
    )
    catalog_image_placeholder: bool = Field(
        default=False,
        description="Upload generated placeholders instead of downloading Shopify images and "
        "videos (sandbox catalogs have unreachable media URLs).",
    )
    tiktok_qps_per_endpoint: dict[str, float] = Field(
        default_factory=dict,
        description='TikTok QPS per client endpoint, e.g. {"products.create": 20} (JSON).',
    )
