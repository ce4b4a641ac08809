"""A broker and a PostgreSQL for one run: configured ones when set, else embedded processes."""

import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from connector_devstack.broker import (
    Broker,
    broker_from_env,
    delete_topics_with_prefix,
    ensure_topics,
)
from connector_devstack.postgres import Postgres, postgres_from_env
from connector_devstack.services import topics_for


@dataclass
class Infra:
    """The infrastructure of one run, with its isolation prefix and database."""

    broker: Broker
    postgres: Postgres
    prefix: str
    database_url: str

    def service_env(self) -> dict[str, str]:
        """Environment variables that point a service at this infrastructure."""
        env = {
            "KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap_servers,
            "DATABASE_URL": self.database_url,
            "TOPIC_PREFIX": self.prefix,
        }
        if self.broker.process is not None:
            # Tansu completes a join after about half the session timeout; Apache Kafka
            # refuses sessions under 6 s by default, so only the embedded broker gets these.
            env |= {"KAFKA_SESSION_TIMEOUT_MS": "2000", "KAFKA_HEARTBEAT_INTERVAL_MS": "200"}
        return env

    def describe(self) -> str:
        """One line saying what runs where (real processes or configured servers)."""

        def origin(proc: subprocess.Popen[bytes] | None) -> str:
            if proc is None:
                return "configured"
            program = proc.args[0] if isinstance(proc.args, list) else proc.args
            return f"embedded: pid {proc.pid}, {Path(str(program)).name}"

        return (
            f"broker {self.broker.bootstrap_servers} ({origin(self.broker.process)}), "
            f"postgres {self.database_url} ({origin(self.postgres.process)}), "
            f"topic prefix {self.prefix!r}"
        )

    def isolated(self) -> "Infra":
        """The same servers under a fresh topic prefix and an empty database of its own.

        What one test module leaves (events nobody consumed, connections a worker keeps
        sweeping) never reaches the next: each module sees only what it made, as it would alone.
        """
        run = uuid.uuid4().hex[:8]
        prefix = f"t{run}."
        name = f"connector_test_{run}"
        _run(_create_database(self.postgres.url, name))
        ensure_topics(self.broker.bootstrap_servers, topics_for(prefix))
        return Infra(self.broker, self.postgres, prefix, _with_db(self.postgres.url, name))

    def release(self) -> None:
        """Drop the database and topics `isolated` made (the servers keep running)."""
        _run(_drop_database(self.postgres.url, _db_name(self.database_url)))
        _run(delete_topics_with_prefix(self.broker.bootstrap_servers, self.prefix))

    def new_database(self) -> str:
        """The URL of a fresh, empty database on the run's server (for one isolated process)."""
        name = f"connector_scratch_{uuid.uuid4().hex[:8]}"
        _run(_create_database(self.postgres.url, name))
        return _with_db(self.postgres.url, name)

    def drop_database(self, url: str) -> None:
        """Drop a database `new_database` made."""
        _run(_drop_database(self.postgres.url, _db_name(url)))

    def stop(self, drop_database: bool = True) -> None:
        """Drop the run's database (when on a shared server) and stop embedded processes."""
        if (
            drop_database
            and self.postgres.process is None
            and self.database_url != self.postgres.url
        ):
            _run(_drop_database(self.postgres.url, _db_name(self.database_url)))
        self.broker.stop()
        self.postgres.stop()


def _db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _create_database(url: str, name: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_database(url: str, name: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _run(coro: object) -> None:
    import asyncio

    asyncio.run(coro)  # type: ignore[arg-type]


def start_infra(
    *, isolated: bool, broker_port: int | None = None, pg_port: int | None = None
) -> Infra:
    """Start (or connect to) the broker and PostgreSQL, create topics and a database.

    With `isolated`, topics get a unique prefix and the run gets its own database, so parallel
    runs and leftovers from earlier runs never meet.
    """
    broker = broker_from_env(os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), broker_port)
    try:
        postgres = postgres_from_env(os.environ.get("DATABASE_URL"), pg_port)
    except BaseException:
        broker.stop()
        raise
    run = uuid.uuid4().hex[:8]
    prefix = f"t{run}." if isolated else ""
    database_url = postgres.url
    if isolated:
        name = f"connector_test_{run}"
        _run(_create_database(postgres.url, name))
        database_url = _with_db(postgres.url, name)
    ensure_topics(broker.bootstrap_servers, topics_for(prefix))
    return Infra(broker, postgres, prefix, database_url)


def docker_available() -> bool:
    """Tell whether a Docker engine seems reachable (for testcontainers)."""
    return shutil.which("docker") is not None and os.path.exists("/var/run/docker.sock")
