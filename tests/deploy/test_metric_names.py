"""Every metric a dashboard panel or an alert rule reads is one the code exports (a renamed
metric would otherwise leave an empty panel and an alert that never fires)."""

import importlib
import re
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

ROOT = Path(__file__).resolve().parents[2]
METRICS_MODULES = (
    "connector_runtime.metrics",
    "catalog_sync.metrics",
    "order_relay.metrics",
    "gateway.metrics",
)
READERS = sorted(
    [*(ROOT / "deploy" / "grafana").glob("*.json"), ROOT / "deploy" / "prometheus" / "alerts.yml"]
)


def exported() -> set[str]:
    """Every sample name the service metric modules register."""
    for module in METRICS_MODULES:
        importlib.import_module(module)
    return set(REGISTRY._names_to_collectors)


@pytest.mark.parametrize("reader", READERS, ids=lambda p: p.name)
def test_every_metric_read_is_exported(reader: Path) -> None:
    used = set(re.findall(r"\bconnector_[a-z_]+", reader.read_text()))
    assert used, f"{reader.name} reads no connector metric"
    assert sorted(used - exported()) == []
