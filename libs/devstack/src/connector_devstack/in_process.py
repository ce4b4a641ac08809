"""A service run inside the test's own event loop: its spec, built with fake deps, on the real
broker and PostgreSQL (handler-level tests; whole processes are the e2e tests' job)."""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from connector_contracts import Envelope
from connector_runtime.service import Runtime, ServiceSpec, create_service_app
from connector_runtime.settings import ServiceSettings

from connector_devstack.infra import Infra
from connector_devstack.sandboxes import (
    IDENTITY_KEY,
    SECRET_KEY,
    SHOPIFY_CLIENT_SECRET,
    TIKTOK_APP_SECRET,
)
from connector_devstack.topics import produce

S = TypeVar("S", bound=ServiceSettings)


def isolated_settings(settings_type: type[S], infra: Infra, **overrides: Any) -> S:
    """Settings on the test infrastructure with a schema and topics no other test uses."""
    env = infra.service_env()
    unique = uuid.uuid4().hex[:8]
    timeouts = {
        k.lower(): int(env[k])
        for k in ("KAFKA_SESSION_TIMEOUT_MS", "KAFKA_HEARTBEAT_INTERVAL_MS")
        if k in env
    }
    # The development secrets the devstack gives every service (no defaults exist, ADR 0015).
    secrets = {
        "connector_secret_key": SECRET_KEY,
        "connector_identity_key": IDENTITY_KEY,
        "shopify_client_secret": SHOPIFY_CLIENT_SECRET,
        "tiktok_app_secret": TIKTOK_APP_SECRET,
    }
    return settings_type(
        kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"],
        database_url=env["DATABASE_URL"],
        topic_prefix=f"{infra.prefix}{unique}.",
        db_schema=f"t_{unique}",
        **secrets | timeouts | overrides,
    )


@asynccontextmanager
async def serve(spec: ServiceSpec, settings: ServiceSettings) -> AsyncIterator[Runtime]:
    """Start the service as `run_service` would (runtime and router lifespans), then stop it."""
    app = create_service_app(spec, settings)
    async with app.router.lifespan_context(app):
        yield app.state.runtime


async def send(runtime: Runtime, envelope: Envelope[Any]) -> None:
    """Publish an event to the service's topic for it, keyed as the outbox would key it."""
    await produce(
        runtime.settings.kafka_bootstrap_servers,
        runtime.settings.topic(type(envelope.payload).topic()),
        envelope.model_dump_json().encode(),
        key=envelope.payload.key().encode(),
    )
