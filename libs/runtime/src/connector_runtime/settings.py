"""Settings every service reads once at start (environment variables, documented in README)."""

import sys
from typing import TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Runtime settings common to all services; services subclass it for their own."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    service_name: str = Field(default="service", description="Name used in logs and metrics.")
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092", description="Kafka bootstrap servers, comma-separated."
    )
    database_url: str = Field(
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        description="PostgreSQL URL; each service uses its own schema in it.",
    )
    db_schema: str | None = Field(
        default=None, description="PostgreSQL schema of this service (default: service name)."
    )
    topic_prefix: str = Field(
        default="", description="Prefix for every topic and consumer group (test isolation)."
    )
    http_host: str = Field(default="127.0.0.1", description="HTTP listen address.")
    http_port: int = Field(default=8000, description="HTTP port for API, health and metrics.")
    log_level: str = Field(default="INFO", description="Log level.")
    log_format: str = Field(default="json", description="`json` or `console`.")
    handler_max_attempts: int = Field(
        default=5, ge=1, description="Attempts at a failing message before dead-lettering it."
    )
    handler_retry_max_seconds: float = Field(
        default=5.0, gt=0, description="Longest backoff between handler attempts."
    )
    parked_retry_min_seconds: float = Field(
        default=5.0, gt=0, description="First wait before retrying a message parked on an outage."
    )
    parked_retry_max_seconds: float = Field(
        default=300.0, gt=0, description="Longest wait between retries of a parked message."
    )
    parked_max_age_seconds: float = Field(
        default=86_400.0,
        gt=0,
        description="A message parked this long on a platform outage is dead-lettered.",
    )
    parked_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often replicas look for parked messages due again."
    )
    outbox_poll_seconds: float = Field(
        default=0.5, gt=0, description="Outbox relay poll interval when no NOTIFY arrives."
    )
    outbox_batch_size: int = Field(default=500, ge=1, description="Outbox rows per publish batch.")
    kafka_session_timeout_ms: int = Field(
        default=10_000,
        description="Consumer session timeout: how fast a dead replica's partitions move on.",
    )
    kafka_heartbeat_interval_ms: int = Field(
        default=3_000, description="Consumer heartbeat interval (about a third of the session)."
    )
    kafka_topic_partitions: int = Field(
        default=3, ge=1, description="Partitions of the topics a service creates at start."
    )
    kafka_topic_replication: int = Field(
        default=1,
        ge=1,
        description="Replication factor of the topics a service creates (3 in production).",
    )
    kafka_topic_retention_ms: int = Field(
        default=7 * 24 * 3600 * 1000, ge=1, description="Retention of the topics a service creates."
    )
    kafka_ack_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Longest a consumer waits for an offset commit before it counts as stalled.",
    )
    kafka_topic_check_seconds: float = Field(
        default=5.0,
        gt=0,
        description="How often a running service checks that its topics exist, recreating"
        " missing ones and resuming its consumers and outbox on them.",
    )
    consumer_lag_poll_seconds: float = Field(
        default=15.0, gt=0, description="How often consumers export their lag per topic."
    )
    db_pool_size: int = Field(default=10, ge=1, description="PostgreSQL pool size.")
    db_acquire_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Longest an HTTP request waits for a pool connection before a 503.",
    )
    http_max_body_bytes: int = Field(
        default=1_048_576, ge=1, description="Largest request body accepted (413 above it)."
    )
    http_max_upload_bytes: int = Field(
        default=11_534_336,
        ge=1,
        description="Largest multipart file upload accepted (TikTok takes images up to 10 MB).",
    )
    http_body_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Time allowed to receive a request body (408 after it)."
    )

    @property
    def schema_name(self) -> str:
        """PostgreSQL schema owned by this service."""
        return self.db_schema or self.service_name.replace("-", "_")

    def topic(self, name: str) -> str:
        """Physical topic name for a logical one."""
        return f"{self.topic_prefix}{name}"

    def group_id(self, event_type: str) -> str:
        """Kafka consumer group of one of this service's subscriptions.

        One group per (service, subscription) rather than per service: members of a group
        that subscribe to different topics would rebalance each other at every start.
        """
        return f"{self.topic_prefix}{self.service_name}.{event_type}"

    @property
    def dead_letter_topic(self) -> str:
        """This service's dead-letter topic."""
        return self.topic(f"{self.service_name}.dead-letter")


S = TypeVar("S", bound=BaseSettings)


def load_settings(settings_type: type[S], service: str) -> S:
    """Read the settings once at start; invalid or missing ones stop the service with one line
    naming them (an operator reads the reason, not a traceback)."""
    try:
        return settings_type()
    except ValidationError as exc:
        reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        print(f"{service} cannot start: {reasons}", file=sys.stderr)
        raise SystemExit(2) from None
