"""`tiktok-shop-sandbox --host 127.0.0.1 --port N [--settings JSON]`: run the simulator.

`--port 0` picks a free port; the first stdout line is always `listening on http://host:port`.
"""

import argparse
import json
import socket

import uvicorn

from tiktok_shop_sandbox.app import create_app
from tiktok_shop_sandbox.settings import SandboxSettings


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve the sandbox until interrupted."""
    parser = argparse.ArgumentParser(prog="tiktok-shop-sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument(
        "--settings", default="{}", help="JSON object of SandboxSettings fields to override"
    )
    args = parser.parse_args(argv)
    settings = SandboxSettings.model_validate(json.loads(args.settings))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    # Listening before the banner means callers that read it can connect at once.
    sock.listen(128)
    print(f"listening on http://{args.host}:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(create_app(settings), log_level="warning", timeout_graceful_shutdown=1)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
