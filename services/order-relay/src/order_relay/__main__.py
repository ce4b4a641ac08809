"""Run the order-relay service: `python -m order_relay`."""

from connector_runtime.service import run_service

from order_relay.app import build_spec
from order_relay.settings import OrderRelaySettings


def main() -> None:
    """Read settings from the environment and serve until SIGTERM."""
    settings = OrderRelaySettings()
    run_service(build_spec(settings), settings)


if __name__ == "__main__":
    main()
