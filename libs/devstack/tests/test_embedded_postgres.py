"""The embedded PostgreSQL starts from any checkout location (issue 16: a clone under a 0700
directory, run as root, hid the wheel's binaries from the unprivileged server user)."""

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from connector_devstack.postgres import (
    others_can_enter,
    reachable_install_dir,
    start_embedded_postgres,
    wheel_install_dir,
)


@pytest.fixture
def open_dir() -> Iterator[Path]:
    """A directory everyone can enter (pytest's own tmp_path sits under a 0700 directory)."""
    path = Path(tempfile.mkdtemp(prefix="connector-test-"))
    path.chmod(0o755)
    yield path
    for sub in path.rglob("*"):
        if sub.is_dir() and not sub.is_symlink():
            sub.chmod(0o755)
    shutil.rmtree(path)


def test_a_directory_under_a_private_parent_cannot_be_entered_by_others(open_dir: Path) -> None:
    private = open_dir / "home"
    (private / "checkout").mkdir(parents=True)
    private.chmod(0o700)
    assert not others_can_enter(private / "checkout")
    private.chmod(0o755)
    assert others_can_enter(private / "checkout")


def test_a_hidden_install_is_copied_once_where_others_can_run_it(open_dir: Path) -> None:
    hidden = open_dir / "home" / "pgserver" / "pginstall"
    (hidden / "bin").mkdir(parents=True)
    (open_dir / "home" / "pgserver.libs").mkdir()
    (open_dir / "home" / "pgserver.libs" / "libpq.so").write_text("")
    tool = hidden / "bin" / "postgres"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(0o700)
    (open_dir / "home").chmod(0o700)
    cache = open_dir / "cache"
    cache.mkdir()

    copy = reachable_install_dir(hidden, cache_root=cache)

    assert copy != hidden
    assert others_can_enter(copy / "bin")
    assert tool.stat().st_mode & stat.S_IXUSR
    assert (copy / "bin" / "postgres").stat().st_mode & stat.S_IXOTH
    assert (copy / "bin" / ".." / ".." / ".." / "pgserver.libs" / "libpq.so").exists()  # RPATH
    assert reachable_install_dir(hidden, cache_root=cache) == copy  # reused, not copied again
    assert [p.name for p in cache.iterdir()] == [copy.parent.parent.name]


@pytest.mark.integration
@pytest.mark.skipif(os.geteuid() != 0, reason="the server runs as another user only under root")
def test_postgres_starts_from_an_install_under_a_0700_directory_as_root(open_dir: Path) -> None:
    home = open_dir / "root-home"
    wheel = wheel_install_dir()
    install = home / "site-packages" / wheel.parent.name / wheel.name
    shutil.copytree(wheel, install, symlinks=True)
    for libs in wheel.parent.parent.glob("*.libs"):
        shutil.copytree(libs, home / "site-packages" / libs.name, symlinks=True)
    home.chmod(0o700)

    postgres = start_embedded_postgres(install=install)
    try:
        ready = subprocess.run(
            [str(install / "bin" / "psql"), postgres.url, "-Atc", "SELECT 40 + 2"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert ready.stdout.strip() == "42"
    finally:
        postgres.stop()
