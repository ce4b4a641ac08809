"""Child processes that die with their parent, and stop politely (SIGTERM, then SIGKILL)."""

import contextlib
import ctypes
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Linux: the kernel SIGKILLs the child when the supervisor dies, even by SIGKILL,
    # so Ctrl-C or a crashed test run never leaves a broker or database behind.
    with contextlib.suppress(OSError):  # not Linux: children may outlive a killed parent
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def spawn(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    user: str | None = None,
    stdout: int | None = subprocess.PIPE,
    cwd: str | None = None,
) -> subprocess.Popen[bytes]:
    """Start a child process tied to this process's life, stderr merged into stdout."""
    return subprocess.Popen(
        list(args),
        env=dict(env) if env is not None else None,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
        # Own session: a terminal's Ctrl-C reaches only the supervisor, which then stops the
        # children in order (services before the broker and database they need to shut down).
        start_new_session=True,
        user=user,
        cwd=cwd,
    )


def stop(proc: subprocess.Popen[bytes], timeout: float = 10.0, signum: int = signal.SIGTERM) -> int:
    """Send `signum` (SIGTERM), SIGKILL the process after `timeout`, and return its exit code."""
    if proc.poll() is None:
        proc.send_signal(signum)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process (crash simulation) and reap it."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def pause(proc: subprocess.Popen[bytes]) -> None:
    """SIGSTOP the process and its children (a frozen host, as opposed to a crash)."""
    # Its own session and process group (see spawn): PostgreSQL's backends freeze too.
    os.killpg(proc.pid, signal.SIGSTOP)


def resume(proc: subprocess.Popen[bytes]) -> None:
    """SIGCONT what `pause` stopped."""
    os.killpg(proc.pid, signal.SIGCONT)
