"""docs/architecture.md stays true: it names every topic and every service."""

from pathlib import Path

from connector_contracts import EVENT_TYPES
from connector_devstack.services import SERVICES

DOC = (Path(__file__).parents[2] / "docs" / "architecture.md").read_text()


def test_every_topic_is_in_the_architecture_doc() -> None:
    missing = sorted(t for t in {e.topic() for e in EVENT_TYPES.values()} if f"`{t}`" not in DOC)
    assert missing == []


def test_every_service_is_in_the_architecture_doc() -> None:
    assert [s.name for s in SERVICES if s.name not in DOC] == []
