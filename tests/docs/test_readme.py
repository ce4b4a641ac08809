"""The README stays true: every setting is in its configuration table, the quick start is two commands."""

import re
from pathlib import Path

from connector_devstack.schemas import service_spec
from connector_devstack.services import SERVICES

README = (Path(__file__).parents[2] / "README.md").read_text()


def test_every_setting_of_every_service_is_documented() -> None:
    first_cells = re.findall(r"^\| ([^|]+) \|", README, flags=re.MULTILINE)
    documented = {name for cell in first_cells for name in re.findall(r"`([A-Z_]+)`", cell)}
    for definition in SERVICES:
        _, settings = service_spec(definition.module)
        names = {name.upper() for name in type(settings).model_fields}
        assert names <= documented, f"{definition.name}: undocumented {names - documented}"


def test_quick_start_is_exactly_two_commands() -> None:
    block = README.split("## Quick start", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make demo", "make test"]
