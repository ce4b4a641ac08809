"""Every service's OpenAPI, fuzzed by schemathesis (bounded): no input is answered with a 5xx."""

import subprocess
import sys
from pathlib import Path

import pytest
from connector_devstack.pytest_plugin import ServiceStarter
from connector_devstack.sandboxes import Merchant
from connector_devstack.services import SERVICES, ServiceProcess

pytestmark = pytest.mark.e2e

# Small enough for the five services to take about three minutes on two cores.
MAX_EXAMPLES = "4"


@pytest.fixture(scope="module")
def services(
    gateway: ServiceProcess,
    merchant: Merchant,
    start_module_service: ServiceStarter,
) -> dict[str, ServiceProcess]:
    """Every service, with one connected merchant for their replicas to hold."""
    others = start_module_service.start_all(s.name for s in SERVICES if s.name != "gateway")
    return {"gateway": gateway, **others}


@pytest.mark.parametrize("name", [s.name for s in SERVICES])
def test_no_generated_request_gets_a_server_error(
    services: dict[str, ServiceProcess], name: str, tmp_path: Path, schemathesis_config: Path
) -> None:
    service = services[name]
    result = subprocess.run(
        [
            *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(schemathesis_config)),
            *("run", f"{service.url}/openapi.json"),
            *("--checks", "not_a_server_error", "--max-examples", MAX_EXAMPLES),
            *("--phases", "examples,coverage,fuzzing", "--workers", "1", "--seed", "13"),
            *("--no-shrink", "--generation-database", "none", "--request-timeout", "60"),
            *("--report-dir", str(tmp_path), "--no-color"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # schemathesis keeps a cache in its working directory
    )
    assert result.returncode == 0, result.stdout[-20_000:]
