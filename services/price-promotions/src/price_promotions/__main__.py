"""Run the price-promotions service: `python -m price_promotions`."""

from connector_runtime.service import run_service
from connector_runtime.settings import load_settings

from price_promotions.app import build_spec
from price_promotions.settings import PricePromotionsSettings


def main() -> None:
    """Read settings from the environment and serve until SIGTERM."""
    settings = load_settings(PricePromotionsSettings, "price-promotions")
    run_service(build_spec(settings), settings)


if __name__ == "__main__":
    main()
