"""Run the gateway service: `python -m gateway`; re-seal tokens: `python -m gateway rotate-keys`;
create an account's owner: `python -m gateway create-owner --email ... --name ...`; rebuild a
read model from its topics: `python -m gateway rebuild-read-model tasks|home`."""

import argparse
import asyncio
import getpass
import sys

from connector_runtime.logs import configure_logging
from connector_runtime.service import run_service
from connector_runtime.settings import load_settings

from gateway.app import build_spec
from gateway.key_rotation import rotate_keys
from gateway.owners import OwnerRefused, create_owner
from gateway.read_model_rebuild import READ_MODELS, rebuild
from gateway.settings import GatewaySettings


def main() -> None:
    """Read settings from the environment and serve until SIGTERM (or run one command)."""
    settings = load_settings(GatewaySettings, "gateway")
    command = sys.argv[1:2]
    if command:
        configure_logging(settings.service_name, settings.log_level, settings.log_format)
    if command == ["rotate-keys"] and len(sys.argv) == 2:
        count = asyncio.run(rotate_keys(settings))
        print(f"re-sealed the tokens of {count} connection(s) with the first key")
        return
    if command == ["create-owner"]:
        _create_owner(settings, sys.argv[2:])
        return
    if command == ["rebuild-read-model"] and sys.argv[2:3] and sys.argv[2] in READ_MODELS:
        count = asyncio.run(rebuild(settings, sys.argv[2]))
        print(f"rebuilt the {sys.argv[2]} read model from {count} message(s)")
        return
    if command:
        known = f"rotate-keys, create-owner, rebuild-read-model {'|'.join(READ_MODELS)}"
        sys.exit(f"unknown command {' '.join(sys.argv[1:])!r} (known: {known})")
    run_service(build_spec(settings), settings)


def _create_owner(settings: GatewaySettings, argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway create-owner")
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin"
    )
    args = parser.parse_args(argv)
    password = _read_password(args.password_stdin)
    try:
        user = asyncio.run(create_owner(settings, args.email, args.name, password))
    except OwnerRefused as refused:
        sys.exit(f"create-owner: {refused}")
    print(f"created owner {user.email} (user {user.user_id}) of account {user.account_id}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        sys.exit("create-owner: the passwords differ; nothing changed")
    return password


if __name__ == "__main__":
    main()
