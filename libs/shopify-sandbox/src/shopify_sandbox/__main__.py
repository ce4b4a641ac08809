"""`python -m shopify_sandbox --host 127.0.0.1 --port 8123`: serve the simulator."""

from __future__ import annotations

import argparse

import uvicorn

from shopify_sandbox.app import create_app
from shopify_sandbox.settings import SandboxSettings


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and run uvicorn."""
    parser = argparse.ArgumentParser(prog="shopify-sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument(
        "--throttled-status", type=int, default=200, help="HTTP status of THROTTLED"
    )
    parser.add_argument("--webhook-retry-scale", type=float, default=1.0)
    parser.add_argument("--bulk-delay", type=float, default=0.2, help="seconds a bulk op runs")
    parser.add_argument("--fault-seed", type=int, default=0)
    args = parser.parse_args(argv)
    settings = SandboxSettings(
        throttled_http_status=args.throttled_status,
        webhook_retry_scale=args.webhook_retry_scale,
        bulk_delay_seconds=args.bulk_delay,
        fault_seed=args.fault_seed,
    )
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
