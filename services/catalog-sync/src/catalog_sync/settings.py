"""Settings of the catalog-sync service."""

from connector_runtime.settings import ServiceSettings


class CatalogSyncSettings(ServiceSettings):
    """catalog-sync settings (environment variables)."""

    service_name: str = "catalog-sync"
    http_port: int = 8001
