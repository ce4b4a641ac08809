"""The envelope every message on Kafka travels in, and the base class of every payload."""

from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar
from uuid import UUID, uuid4

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Event(BaseModel):
    """Base of every event/command payload: names its type, version, topic and partition key."""

    # Consumers of public topics must tolerate additive fields (see STYLE.md: no extra="forbid").
    model_config = ConfigDict(frozen=True, extra="ignore")

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1

    @classmethod
    def topic(cls) -> str:
        """Logical topic name (facts: `<entity>.<fact>`, commands: `<entity>.<verb>.requested`)."""
        return cls.TYPE

    def key(self) -> str:
        """Partition key that keeps per-entity order."""
        raise NotImplementedError


P = TypeVar("P", bound=Event)


class Envelope(BaseModel, Generic[P]):
    """A message on Kafka: identity, lineage and a typed payload."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: UUID = Field(description="Unique id of this message; consumers dedupe on it.")
    type: str = Field(description="Payload type, e.g. `order.paid`.")
    version: int = Field(ge=1, description="Payload schema version; breaking changes bump it.")
    occurred_at: AwareDatetime = Field(description="When the fact happened (UTC).")
    connection_id: str = Field(description="The merchant connection (Shopify store + TikTok shop).")
    correlation_id: str = Field(description="Id shared by every message caused by one request.")
    task_id: str | None = Field(default=None, description="Merchant-visible task, when any.")
    causation_id: UUID | None = Field(
        default=None, description="event_id of the message that caused this one."
    )
    payload: P


def new_envelope(
    payload: P,
    *,
    connection_id: str,
    correlation_id: str | None = None,
    task_id: str | None = None,
    causation_id: UUID | None = None,
    occurred_at: datetime | None = None,
) -> Envelope[P]:
    """Wrap a payload in a fresh envelope (new event id, now as occurred_at by default)."""
    event_id = uuid4()
    # Parametrise with the concrete payload class so it serialises with all its fields.
    concrete: Any = Envelope[type(payload)]  # type: ignore[misc]
    return concrete(  # type: ignore[no-any-return]
        event_id=event_id,
        type=payload.TYPE,
        version=payload.VERSION,
        occurred_at=occurred_at or datetime.now(UTC),
        connection_id=connection_id,
        correlation_id=correlation_id or str(event_id),
        task_id=task_id,
        causation_id=causation_id,
        payload=payload,
    )
