"""PostgreSQL: `DATABASE_URL` when set, else a server from the pgserver wheel's binaries on TCP."""

import os
import shutil
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from connector_devstack.ports import free_port, wait_for_port
from connector_devstack.processes import spawn, stop

_SYSTEM_USER = "pgserver"  # PostgreSQL refuses to run as root


@dataclass
class Postgres:
    """A reachable PostgreSQL, and the process + data directory behind it when we started it."""

    url: str
    process: subprocess.Popen[bytes] | None = None
    data_dir: Path | None = None

    def stop(self) -> None:
        """Stop the embedded server and delete its data (no-op for an external one)."""
        if self.process is not None:
            stop(self.process, timeout=20)
        if self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)


def _bin(name: str) -> str:
    with warnings.catch_warnings():
        # pgserver asks platformdirs for a runtime dir at import; we never use it.
        warnings.simplefilter("ignore")
        from pgserver._commands import POSTGRES_BIN_PATH

    return str(Path(POSTGRES_BIN_PATH) / name)


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see _bin
        from pgserver.utils import ensure_user_exists

    ensure_user_exists(_SYSTEM_USER)
    return _SYSTEM_USER


def start_embedded_postgres(port: int | None = None) -> Postgres:
    """initdb a throwaway cluster and run `postgres` listening on 127.0.0.1."""
    port = port or free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="connector-pg-"))
    user = _run_as()
    if user:
        shutil.chown(data_dir, user)
    subprocess.run(
        [
            _bin("initdb"),
            "-D",
            str(data_dir / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        user=user,
    )
    proc = spawn(
        [
            _bin("postgres"),
            "-D",
            str(data_dir / "data"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-k",
            str(data_dir),
            "-c",
            "max_connections=300",
            "-c",
            "fsync=off",
            "-c",
            "synchronous_commit=off",
            "-c",
            "full_page_writes=off",
        ],
        user=user,
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port)
    _wait_until_accepting(port)
    return Postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres", proc, data_dir)


def _wait_until_accepting(port: int, timeout: float = 30.0) -> None:
    # The port opens before recovery ends ("the database system is starting up").
    deadline = time.monotonic() + timeout
    while (
        subprocess.run(
            [_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)], check=False
        ).returncode
        != 0
    ):
        if time.monotonic() > deadline:
            raise TimeoutError(f"PostgreSQL on port {port} did not become ready")
        time.sleep(0.1)


def postgres_from_env(database_url: str | None, port: int | None = None) -> Postgres:
    """Use the configured database, or start the embedded one."""
    if database_url:
        return Postgres(database_url)
    return start_embedded_postgres(port)
