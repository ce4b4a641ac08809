"""PostgreSQL: `DATABASE_URL` when set, else a server from the pgserver wheel's binaries on TCP."""

import contextlib
import hashlib
import os
import pwd
import shutil
import signal
import stat
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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

    def restart(self) -> None:
        """Shut the embedded server down and start it again on the same port and data directory."""
        if self.process is None:
            raise RuntimeError("only the embedded PostgreSQL can be restarted")
        args = [str(a) for a in self.process.args]  # type: ignore[union-attr]
        # SIGINT is PostgreSQL's fast shutdown: SIGTERM would wait for every client to leave.
        stop(self.process, timeout=20, signum=signal.SIGINT)
        self.process = spawn(args, user=_run_as(), stdout=subprocess.DEVNULL)
        port = urlsplit(self.url).port or 5432
        wait_for_port(port)
        _wait_until_accepting(port, Path(args[0]).parent.parent)


def wheel_install_dir() -> Path:
    """The pgserver wheel's PostgreSQL installation (bin/, lib/, share/)."""
    with warnings.catch_warnings():
        # pgserver asks platformdirs for a runtime dir at import; we never use it.
        warnings.simplefilter("ignore")
        from pgserver._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH).parent


def others_can_enter(path: Path) -> bool:
    """Whether a user other than the owner can reach `path` (every directory on the way has o+x)."""
    return all(directory.stat().st_mode & stat.S_IXOTH for directory in [path, *path.parents])


def reachable_install_dir(install: Path, cache_root: Path | None = None) -> Path:
    """`install`, or a world-readable copy of it when the unprivileged server user can't reach it.

    As root the server runs as `pgserver`; a checkout under a 0700 directory (root's home, say)
    hides the wheel's binaries from that user, so they are copied once to a shared cache. The
    binaries find their vendored libraries by RPATH (`$ORIGIN/../../../pgserver.libs`), so the
    copy keeps the wheel's layout: `<copy>/<package>/pginstall` beside `<copy>/*.libs`.
    """
    if others_can_enter(install):
        return install
    root = cache_root or Path(tempfile.gettempdir())
    tag = hashlib.sha256(str(install.resolve()).encode()).hexdigest()[:16]
    target = root / f"connector-pginstall-{tag}"
    copied = target / install.parent.name / install.name
    if not (copied / "bin" / "postgres").exists():
        staging = Path(tempfile.mkdtemp(prefix="connector-pginstall-", dir=root))
        shutil.copytree(install, staging / install.parent.name / install.name, symlinks=True)
        for libs in install.parent.parent.glob("*.libs"):
            shutil.copytree(libs, staging / libs.name, symlinks=True)
        for path in [staging, *staging.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IROTH | stat.S_IRGRP | _exec_bits(path))
        with contextlib.suppress(OSError):  # another process copied it first
            staging.rename(target)
        shutil.rmtree(staging, ignore_errors=True)
    return copied


def _exec_bits(path: Path) -> int:
    if path.is_dir() or path.stat().st_mode & stat.S_IXUSR:
        return stat.S_IXOTH | stat.S_IXGRP
    return 0


def _bin(name: str, install: Path | None = None) -> str:
    return str((install or wheel_install_dir()) / "bin" / name)


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # see _bin
        from pgserver.utils import ensure_user_exists

    try:
        ensure_user_exists(_SYSTEM_USER)
    except subprocess.CalledProcessError:
        # Two test workers starting their servers at once: the other one's `useradd` won.
        pwd.getpwnam(_SYSTEM_USER)
    return _SYSTEM_USER


def start_embedded_postgres(port: int | None = None, install: Path | None = None) -> Postgres:
    """initdb a throwaway cluster and run `postgres` listening on 127.0.0.1."""
    port = port or free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="connector-pg-"))
    install = install or wheel_install_dir()
    user = _run_as()
    if user:
        shutil.chown(data_dir, user)
        install = reachable_install_dir(install)
    initdb = [_bin("initdb", install), "-D", str(data_dir / "data"), "-U", "postgres"]
    initdb += ["--auth=trust", "-E", "UTF8", "--no-sync"]
    subprocess.run(initdb, check=True, capture_output=True, user=user)
    server = [_bin("postgres", install), "-D", str(data_dir / "data"), "-h", "127.0.0.1"]
    server += ["-p", str(port), "-k", str(data_dir)]
    for option in _SERVER_OPTIONS:
        server += ["-c", option]
    proc = spawn(server, user=user, stdout=subprocess.DEVNULL)
    wait_for_port(port)
    _wait_until_accepting(port, install)
    return Postgres(f"postgresql://postgres@127.0.0.1:{port}/postgres", proc, data_dir)


# A throwaway test cluster: durability traded for speed.
_SERVER_OPTIONS = (
    "max_connections=300",
    "fsync=off",
    "synchronous_commit=off",
    "full_page_writes=off",
)


def _wait_until_accepting(port: int, install: Path, timeout: float = 30.0) -> None:
    # The port opens before recovery ends ("the database system is starting up").
    deadline = time.monotonic() + timeout
    while (
        subprocess.run(
            [_bin("pg_isready", install), "-q", "-h", "127.0.0.1", "-p", str(port)], check=False
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
