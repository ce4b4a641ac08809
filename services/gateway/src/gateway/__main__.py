"""Run the gateway service: `python -m gateway`; re-seal tokens: `python -m gateway rotate-keys`."""

import asyncio
import sys

from connector_runtime.logs import configure_logging
from connector_runtime.service import run_service
from connector_runtime.settings import load_settings

from gateway.app import build_spec
from gateway.key_rotation import rotate_keys
from gateway.settings import GatewaySettings


def main() -> None:
    """Read settings from the environment and serve until SIGTERM (or run one command)."""
    settings = load_settings(GatewaySettings, "gateway")
    if sys.argv[1:] == ["rotate-keys"]:
        configure_logging(settings.service_name, settings.log_level, settings.log_format)
        count = asyncio.run(rotate_keys(settings))
        print(f"re-sealed the tokens of {count} connection(s) with the first key")
        return
    if sys.argv[1:]:
        sys.exit(f"unknown command {' '.join(sys.argv[1:])!r} (known: rotate-keys)")
    run_service(build_spec(settings), settings)


if __name__ == "__main__":
    main()
