"""Every service starts, answers health/readiness/metrics, and stops cleanly on SIGTERM."""

import os
import shutil
import subprocess
from collections.abc import Callable

import httpx
import pytest
from connector_devstack.services import SERVICES, ServiceProcess
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.e2e


def promtool() -> str | None:
    """Path of promtool; CI sets CONNECTOR_REQUIRE_PROMTOOL=1 so a missing one fails there."""
    path = shutil.which("promtool")
    if path is None and os.environ.get("CONNECTOR_REQUIRE_PROMTOOL") == "1":
        pytest.fail("promtool is required (Debian package `prometheus`) but not installed")
    return path


@pytest.mark.parametrize("name", [s.name for s in SERVICES])
def test_service_is_healthy_exposes_valid_metrics_and_stops_cleanly(
    name: str, start_service: Callable[..., ServiceProcess]
) -> None:
    service = start_service(name)
    assert httpx.get(f"{service.url}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{service.url}/readyz").json() == {"database": "ok", "broker": "ok"}

    exposition = httpx.get(f"{service.url}/metrics").text
    families = {f.name for f in text_string_to_metric_families(exposition)}
    assert {"connector_messages_consumed", "connector_outbox_backlog_messages"} <= families
    tool = promtool()
    if tool:
        check = subprocess.run(
            [tool, "check", "metrics"], input=exposition.encode(), capture_output=True, check=False
        )
        assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()

    assert service.stop() == 0
