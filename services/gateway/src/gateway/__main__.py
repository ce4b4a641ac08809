"""Run the gateway service: `python -m gateway`."""

from connector_runtime.service import run_service

from gateway.app import build_spec
from gateway.settings import GatewaySettings


def main() -> None:
    """Read settings from the environment and serve until SIGTERM."""
    settings = GatewaySettings()
    run_service(build_spec(settings), settings)


if __name__ == "__main__":
    main()
