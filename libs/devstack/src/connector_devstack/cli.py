"""`connector-dev`: run the stack, the demo, regenerate schemas, check function length."""

import argparse
import signal
import sys
import tempfile
import threading
from pathlib import Path


def _up(_: argparse.Namespace) -> int:
    from connector_devstack.stack import start_stack

    mail_dir = Path(tempfile.mkdtemp(prefix="connector-mail-"))
    stack = start_stack(mail_dir=mail_dir)
    print("\nconnector is up:", stack.infra.describe(), flush=True)
    print(f"  mail: SMTP 127.0.0.1:{stack.mailbox.port}, received mail in {mail_dir}", flush=True)
    for name, proc in stack.services.items():
        print(f"  {name:>16}  {proc.url}  (/healthz /readyz /metrics /docs)", flush=True)
    gateway = stack.services["gateway"].url
    print(f"  merchant console: {gateway}/ (development mode: one account, no login)", flush=True)
    print("Ctrl-C stops everything.\n", flush=True)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    print("\nstopping (services, then sandboxes, broker and database)...", flush=True)
    stack.stop()
    print("stopped.", flush=True)
    return 0


def _demo(_: argparse.Namespace) -> int:
    from connector_devstack.demo import run_demo

    return run_demo()


def _schemas(args: argparse.Namespace) -> int:
    from connector_devstack.schemas import write_schemas

    stale = write_schemas(Path(args.root), check=args.check)
    if stale:
        print("stale or missing generated files (run `make schemas`):", *stale, sep="\n  ")
        return 1
    print("schemas up to date" if args.check else "schemas written")
    return 0


def _function_length(args: argparse.Namespace) -> int:
    from connector_devstack.function_length import MAX_LINES, violations

    problems = violations(Path(args.root))
    if problems:
        print(*problems, sep="\n")
        return 1
    print(f"no production function over {MAX_LINES} lines outside the allowlist")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `connector-dev` command."""
    parser = argparse.ArgumentParser(prog="connector-dev", description=__doc__)
    sub = parser.add_subparsers(required=True)
    sub.add_parser("up", help="start everything and stream the logs").set_defaults(run=_up)
    sub.add_parser("demo", help="run the merchant journey end to end").set_defaults(run=_demo)
    schemas = sub.add_parser("schemas", help="write JSON Schemas and AsyncAPI documents")
    schemas.add_argument("--check", action="store_true", help="fail when files are stale")
    schemas.add_argument("--root", default=".", help="repository root")
    schemas.set_defaults(run=_schemas)
    length = sub.add_parser("function-length", help="fail on a production function too long")
    length.add_argument("--root", default=".", help="repository root")
    length.set_defaults(run=_function_length)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
