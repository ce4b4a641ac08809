"""Every alert has a promtool unit test that fires it and a runbook section, and the tests pass."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"


def alert_names() -> set[str]:
    """Every alert rule's name."""
    rules = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    return {r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r}


def test_every_alert_has_a_unit_test_that_expects_it_to_fire() -> None:
    cases = yaml.safe_load((PROMETHEUS / "alerts_test.yml").read_text())["tests"]
    fired = {
        t["alertname"] for case in cases for t in case["alert_rule_test"] if t.get("exp_alerts")
    }
    assert alert_names() <= fired


def test_every_alert_has_a_runbook_section() -> None:
    runbooks = (ROOT / "docs" / "runbooks.md").read_text()
    sections = set(re.findall(r"^## (\w+)$", runbooks, flags=re.MULTILINE))
    assert alert_names() == sections


def test_alert_rules_pass_their_promtool_unit_tests() -> None:
    tool = shutil.which("promtool")
    if tool is None:
        if os.environ.get("CONNECTOR_REQUIRE_PROMTOOL") == "1":
            pytest.fail("promtool is required (Debian package `prometheus`) but not installed")
        pytest.skip("promtool not installed (CI installs it and requires it)")
    result = subprocess.run(
        [tool, "test", "rules", str(PROMETHEUS / "alerts_test.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
