"""Run the catalog-sync service: `python -m catalog_sync`."""

from connector_runtime.service import run_service
from connector_runtime.settings import load_settings

from catalog_sync.app import build_spec
from catalog_sync.settings import CatalogSyncSettings


def main() -> None:
    """Read settings from the environment and serve until SIGTERM."""
    settings = load_settings(CatalogSyncSettings, "catalog-sync")
    run_service(build_spec(settings), settings)


if __name__ == "__main__":
    main()
