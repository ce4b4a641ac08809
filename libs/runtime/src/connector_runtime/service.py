"""Composition root shared by every service: one FastAPI app hosting consumers, relay and API."""

import asyncio
import signal
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import asyncpg
import structlog
import uvicorn
from aiokafka import AIOKafkaProducer
from connector_contracts import Envelope, Event
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI

from connector_runtime import db, metrics
from connector_runtime.consumer import (
    Consumers,
    DeadLetters,
    EventRouter,
    invalid_message_middleware,
)
from connector_runtime.edge import BodyLimits, EdgeGuard
from connector_runtime.health import router as health_router
from connector_runtime.jobs import JobRunner, PeriodicJob
from connector_runtime.logs import configure_logging
from connector_runtime.outbox import OutboxRelay
from connector_runtime.platform_metrics import install_platform_metrics
from connector_runtime.refusals import SetupIncomplete
from connector_runtime.settings import ServiceSettings
from connector_runtime.topics import TopicSpec, TopicWatch, declared_topics, ensure_topics
from connector_runtime.work import Worker, WorkRunner

log = structlog.get_logger()

STOP_STEP_SECONDS = 5.0


class Resources(Protocol):
    """A service's own resources (platform client cache, side pools): the runtime opens them
    with its pool once migrated, and closes them when the service stops."""

    async def open(self, pool: asyncpg.Pool) -> None: ...

    async def aclose(self) -> None: ...


@dataclass
class ServiceSpec:
    """What makes a service itself: its name, migrations, handlers, API and published events."""

    name: str
    # Packages holding `migrations/*.sql`, applied in this order after the runtime's own.
    migrations: Sequence[str] = ()
    events: EventRouter = field(default_factory=EventRouter)
    api: Sequence[APIRouter] = ()
    publishes: Sequence[type[Event]] = ()
    jobs: Sequence[PeriodicJob] = ()
    # Durable work (connector_runtime.work): every replica runs these, item by item.
    workers: Sequence[Worker] = ()
    description: str = ""
    # Errors meaning "a platform is away": such a failing message is parked, not dead-lettered.
    transient_errors: tuple[type[BaseException], ...] = ()
    # The service's resources, reachable as `runtime.deps` (routes: `deps_of`); opened when
    # the service starts, closed when it stops.
    deps: Resources | None = None


class Runtime:
    """The live resources of a running service, reachable from its API as `app.state.runtime`."""

    pool: asyncpg.Pool
    producer: AIOKafkaProducer

    def __init__(self, spec: ServiceSpec, settings: ServiceSettings) -> None:
        self.spec = spec
        self.settings = settings
        self.deps = spec.deps
        self.broker = KafkaBroker(settings.kafka_bootstrap_servers, logger=None)
        for event in spec.publishes:
            # Publisher objects document what the service emits; the outbox relay sends them.
            self.broker.publisher(
                settings.topic(event.topic()),
                title=f"{spec.name}.publishes.{event.TYPE}",
                schema=Envelope[event],  # type: ignore[valid-type]
                description=event.__doc__,
            )

    def topics(self) -> list[TopicSpec]:
        """The topics this service consumes, publishes and dead-letters."""
        consumed = [route.event for route in self.spec.events.routes]
        return declared_topics(consumed, self.spec.publishes, self.settings)

    async def _open_pools(self) -> None:
        s = self.settings
        self.pool = await db.create_pool(
            s.database_url, s.schema_name, s.db_pool_size, service=s.service_name
        )
        # Connections held for good (the outbox leader, the work LISTEN, a lock per periodic
        # job) come from their own pool: a small DB_POOL_SIZE then still serves requests and
        # handlers, and a job never waits on the pool it is holding a connection of. They hold
        # session state (locks, LISTEN), so that pool resets sessions on release.
        self.control_pool = await db.create_pool(
            s.database_url,
            s.schema_name,
            2 + len(self.spec.jobs),
            service=s.service_name,
            name="control",
            keeps_session_state=True,
        )

    async def start(self) -> None:
        """Connect to PostgreSQL (migrating) and Kafka, then start consuming and relaying."""
        install_platform_metrics()
        s = self.settings
        await self._open_pools()
        # One outage state per process: one warning when PostgreSQL goes away, one when back.
        self.outage = db.Outage(s.service_name)
        self.request_pool = db.RequestPool(
            self.pool, s.service_name, s.db_acquire_timeout_seconds, self.outage
        )
        await db.migrate(self.pool, s.schema_name, db.service_migrations(self.spec.migrations))
        if self.deps is not None:
            await self.deps.open(self.pool)  # before any handler, job or route may use them
        # Before anything subscribes or publishes: a missing topic is ours to create (ADR 0022).
        await ensure_topics(s.kafka_bootstrap_servers, self.topics())
        self.producer = AIOKafkaProducer(
            bootstrap_servers=s.kafka_bootstrap_servers,
            acks="all",
            # The embedded broker has no idempotent producer; consumers dedupe in the inbox.
            enable_idempotence=False,
            linger_ms=2,
        )
        await self.producer.start()
        self.dead_letters = DeadLetters(self.producer, s)
        self.broker.add_middleware(invalid_message_middleware(self.dead_letters))
        self.consumers = Consumers(
            self.broker, self.pool, s, self.dead_letters, tuple(self.spec.transient_errors)
        )
        self.consumers.bind(self.spec.events)
        await self.broker.start()
        self.consumers.start_lag_observer()
        self.work = WorkRunner(
            self.pool, s.schema_name, s.service_name, self.outage, listen_pool=self.control_pool
        )
        await self.work.start([*self.spec.workers, self.consumers.parking_worker()], self)
        self.relay = OutboxRelay(self.control_pool, self.producer, s, self.outage)
        self.relay.start()
        self.jobs = JobRunner(self.control_pool, s.schema_name, s.service_name, self.outage)
        self.jobs.start(list(self.spec.jobs), self)
        self.topic_watch = TopicWatch(s, self.topics(), self._resume_on)
        self.topic_watch.start()
        log.info("service.started", topic_prefix=s.topic_prefix, schema=s.schema_name)

    async def _resume_on(self, topics: list[str]) -> None:
        """The broker lost `topics` under the running service and they were just created again:
        the producer learns their partitions now rather than at its next metadata refresh.
        Consumers need nothing: their failing fetches and commits refresh their metadata and
        rejoin their groups, from the start of the new topics (the committed offsets were lost
        too; the inbox drops what they had seen), and a stalled one clears at its next commit."""
        await asyncio.wait_for(self.producer.client.force_metadata_update(), STOP_STEP_SECONDS)
        log.info("topics.resumed", topics=topics)

    async def stop(self) -> None:
        """Stop consuming first, then relaying, then close connections (each step bounded)."""
        steps = [
            ("topic watch", self.topic_watch.stop()),
            ("consumer lag", self.consumers.stop_lag_observer()),
            ("consumers", self.broker.stop()),
            ("workers", self.work.stop()),
            ("jobs", self.jobs.stop()),
            ("outbox relay", self.relay.stop()),
            ("service resources", _close(self.deps)),
            ("producer", self.producer.stop()),
            ("database pool", self.pool.close()),
            ("control pool", self.control_pool.close()),
        ]
        for name, step in steps:
            try:
                # With the broker or database already gone a clean goodbye can hang; offsets
                # and outbox rows are safe either way (commit-after-processing, relay resumes).
                await asyncio.wait_for(step, STOP_STEP_SECONDS)
            except Exception as exc:
                log.warning("service.stop_step_failed", step=name, error=repr(exc))
        log.info("service.stopped")


async def _close(resources: Resources | None) -> None:
    if resources is not None:
        await resources.aclose()


def create_service_app(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    """Build the service's ASGI app; resources open in its lifespan."""
    runtime = Runtime(spec, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(title=spec.name, description=spec.description, lifespan=lifespan)
    app.state.runtime = runtime
    app.add_exception_handler(RequestValidationError, _count_rejected)
    app.add_exception_handler(db.DatabaseUnavailable, _busy)
    app.add_exception_handler(SetupIncomplete, _setup_incomplete)
    for lost in db.LOST:  # met by routes on a connection of their own
        app.add_exception_handler(lost, _database_lost)
    limits = BodyLimits(
        settings.http_max_body_bytes,
        settings.http_max_upload_bytes,
        settings.http_body_timeout_seconds,
    )
    app.add_middleware(EdgeGuard, service=spec.name, limits=limits)
    app.include_router(health_router)
    for router in spec.api:
        app.include_router(router)
    return app


async def _count_rejected(request: Request, exc: Exception) -> Response:
    """Count a 422 by route, then answer FastAPI's usual body naming each bad field."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    metrics.HTTP_REJECTED.labels(request.app.title, path, "422").inc()
    assert isinstance(exc, RequestValidationError)
    log.warning("request.rejected", route=path, status=422, errors=str(exc.errors())[:500])
    return await request_validation_exception_handler(request, exc)


async def _setup_incomplete(request: Request, exc: Exception) -> Response:
    """A request the merchant's setup does not allow yet: 409 with the reason, counted."""
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    metrics.HTTP_REJECTED.labels(request.app.title, path, "409").inc()
    log.warning("request.setup_incomplete", route=path, status=409, reason=str(exc))
    return JSONResponse({"detail": str(exc)}, status_code=409)


async def _database_lost(request: Request, exc: Exception) -> Response:
    """A route's own connection to PostgreSQL broke: counted and answered like the pool's."""
    return await _busy(request, request.app.state.runtime.request_pool.unavailable(exc))


async def _busy(request: Request, exc: Exception) -> Response:
    """The database is saturated or away: tell the client to come back (counted in db.py)."""
    return JSONResponse(
        {"detail": f"the service is busy, retry shortly ({exc})"},
        status_code=503,
        headers={"Retry-After": "1"},
    )


def asyncapi_document(spec: ServiceSpec, settings: ServiceSettings) -> dict[str, Any]:
    """Build the service's AsyncAPI document from its subscribers and publishers."""
    runtime = Runtime(spec, settings)
    Consumers(runtime.broker, None, settings, None).bind(spec.events)  # type: ignore[arg-type]
    document = AsyncAPI(
        runtime.broker, title=spec.name, version="0.1.0", description=spec.description
    ).to_specification()
    result: dict[str, Any] = document.to_jsonable()
    return result


def run_service(spec: ServiceSpec, settings: ServiceSettings) -> None:
    """Serve the service until SIGTERM/SIGINT, then shut down cleanly."""
    configure_logging(settings.service_name, settings.log_level, settings.log_format)
    app = create_service_app(spec, settings)
    # uvicorn re-raises the stop signal after a graceful shutdown; with these handlers as
    # the ones it restores, a clean SIGTERM stop exits 0 instead of "killed by SIGTERM".
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: None)
    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
        # An idle or silent connection is closed after 5 s; header blocks are bounded to 16 KiB
        # (bodies are bounded and timed by EdgeGuard, which uvicorn has no option for).
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16_384,
        # Long-lived responses (the gateway's task streams) must not hold a stop for ever:
        # after this, what is still open is cut and the browser reconnects to another replica.
        timeout_graceful_shutdown=10,
    )
