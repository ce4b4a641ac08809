"""Run the inventory-guard service: `python -m inventory_guard`."""

from connector_runtime.service import run_service
from connector_runtime.settings import load_settings

from inventory_guard.app import build_spec
from inventory_guard.settings import InventoryGuardSettings


def main() -> None:
    """Read settings from the environment and serve until SIGTERM."""
    settings = load_settings(InventoryGuardSettings, "inventory-guard")
    run_service(build_spec(settings), settings)


if __name__ == "__main__":
    main()
