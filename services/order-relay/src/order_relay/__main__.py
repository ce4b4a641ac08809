"""Run the order-relay service: `python -m order_relay`."""

from connector_runtime.service import run_service
from connector_runtime.settings import load_settings

from order_relay.app import build_spec
from order_relay.settings import OrderRelaySettings


def main() -> None:
    """Read settings from the environment and serve until SIGTERM."""
    settings = load_settings(OrderRelaySettings, "order-relay")
    run_service(build_spec(settings), settings)


if __name__ == "__main__":
    main()
