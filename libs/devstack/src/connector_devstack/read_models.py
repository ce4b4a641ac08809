"""Rebuilding a gateway read model from its topics, as an operator would, beside a running
gateway: `python -m gateway rebuild-read-model <name>` with that gateway's settings."""

import os
import subprocess
import sys

from connector_devstack.services import ServiceProcess


def rebuild_read_model(gateway: ServiceProcess, read_model: str) -> str:
    """Run the rebuild of `read_model` (tasks, home); its output line, or an AssertionError."""
    done = subprocess.run(
        [sys.executable, "-m", "gateway", "rebuild-read-model", read_model],
        env={**os.environ, **gateway.env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"rebuilt the {read_model} read model from" in done.stdout, done.stdout
    return done.stdout.strip()
