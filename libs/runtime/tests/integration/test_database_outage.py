"""A PostgreSQL restart under a running service: counted 503s, one warning, then recovery."""

import asyncio
import os
import pwd
import signal
import subprocess
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
import structlog
from connector_devstack.infra import Infra
from connector_devstack.ports import wait_for_port
from connector_devstack.postgres import Postgres
from connector_devstack.processes import spawn
from connector_runtime.db import Connection
from connector_runtime.deps import pooled_connection
from connector_runtime.service import Runtime, ServiceSpec, create_service_app
from connector_runtime.settings import ServiceSettings
from fastapi import APIRouter, Depends, FastAPI
from prometheus_client import REGISTRY
from structlog.testing import capture_logs

pytestmark = pytest.mark.integration

api = APIRouter()


@api.get("/answer")
async def answer(conn: Annotated[Connection, Depends(pooled_connection)]) -> dict[str, int]:
    """A route that needs the database."""
    return {"answer": await conn.fetchval("SELECT 42")}


@pytest.fixture
async def app(infra: Infra) -> AsyncIterator[FastAPI]:
    env = infra.service_env()
    settings = ServiceSettings(
        service_name=f"db-{uuid.uuid4().hex[:6]}",
        kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"],
        database_url=env["DATABASE_URL"],
        topic_prefix=f"{infra.prefix}{uuid.uuid4().hex[:4]}.",
        db_acquire_timeout_seconds=2,
    )
    app = create_service_app(ServiceSpec(name=settings.service_name, api=[api]), settings)
    runtime: Runtime = app.state.runtime
    await runtime.start()
    yield app
    await runtime.stop()


def stop_postgres(pg: Postgres) -> None:
    """Fast shutdown: PostgreSQL terminates every session, as in a restart."""
    assert pg.process is not None
    pg.process.send_signal(signal.SIGINT)
    pg.process.wait(60)


def start_postgres_again(pg: Postgres) -> None:
    """Start the same cluster on the same port, as the user owning its data."""
    assert pg.process is not None
    assert pg.data_dir is not None
    owner = pwd.getpwuid((pg.data_dir / "data").stat().st_uid).pw_name
    user = owner if os.geteuid() == 0 else None
    pg.process = spawn(pg.process.args, user=user, stdout=subprocess.DEVNULL)  # type: ignore[arg-type]
    wait_for_port(int(pg.url.rsplit(":", 1)[1].split("/")[0]))


async def get_until(http: httpx.AsyncClient, status: int) -> httpx.Response:
    for _ in range(600):
        response = await http.get("/answer")
        if response.status_code == status:
            return response
        await asyncio.sleep(0.1)
    return response


def unavailable_total(service: str) -> float:
    samples = [
        s.value
        for metric in REGISTRY.collect()
        if metric.name == "connector_db_unavailable"
        for s in metric.samples
        if s.name.endswith("_total") and s.labels["service"] == service
    ]
    return sum(samples)


def events(logs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e for e in logs if e["event"] == name]


async def test_a_database_restart_answers_503_with_one_warning_then_recovers(
    app: FastAPI, infra: Infra
) -> None:
    if infra.postgres.process is None:
        pytest.skip("needs the embedded PostgreSQL (a configured one cannot be restarted here)")
    service = app.state.runtime.settings.service_name
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as http:
        assert (await http.get("/answer")).json() == {"answer": 42}
        with capture_logs(processors=[structlog.contextvars.merge_contextvars]) as logs:
            await asyncio.to_thread(stop_postgres, infra.postgres)
            refused = [await http.get("/answer") for _ in range(5)]
            await asyncio.sleep(2)  # the background loops meet the outage too
            await asyncio.to_thread(start_postgres_again, infra.postgres)
            back = await get_until(http, 200)
            await asyncio.sleep(2)  # the relay and workers reconnect
    assert {r.status_code for r in refused} == {503}
    assert all(r.headers["retry-after"] == "1" for r in refused)
    assert "unreachable" in refused[0].json()["detail"]
    assert back.json() == {"answer": 42}
    assert unavailable_total(service) >= 5
    assert len(events(logs, "db.unavailable")) == 1  # one warning for the outage
    assert len(events(logs, "db.recovered")) == 1  # and one when it ends
    # No traceback per request or loop turn, and no listener error after the restart.
    assert not [e for e in logs if e.get("exc_info")], [
        e["event"] for e in logs if e.get("exc_info")
    ]
