"""Periodic jobs (sweeps, token refresh): one replica at a time, by PostgreSQL advisory lock."""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import structlog

from connector_runtime import metrics
from connector_runtime.db import BROKEN, Outage
from connector_runtime.work import OUTAGE_BACKOFF

log = structlog.get_logger()


@dataclass(frozen=True)
class PeriodicJob:
    """Work to run every `interval_seconds` (interval read from settings at start)."""

    name: str
    interval_seconds: Callable[[Any], float]  # settings -> seconds
    run: Callable[[Any], Awaitable[None]]  # runtime -> None


class JobRunner:
    """Runs a service's periodic jobs; replicas contend for each run with a try-lock."""

    def __init__(
        self, pool: asyncpg.Pool, schema: str, service: str, outage: Outage | None = None
    ) -> None:
        self._pool = pool
        self._schema = schema
        self._service = service
        self._outage = outage or Outage(service)
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, jobs: list[PeriodicJob], runtime: Any) -> None:
        """Start one loop per job."""
        for job in jobs:
            interval = job.interval_seconds(runtime.settings)
            self._tasks.append(
                asyncio.create_task(self._loop(job, interval, runtime), name=f"job-{job.name}")
            )

    async def stop(self) -> None:
        """Cancel every loop (a run in progress is abandoned; the next replica redoes it)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _loop(self, job: PeriodicJob, interval: float, runtime: Any) -> None:
        while True:
            await self.run_once(job, runtime)
            # On an unreachable database the next try backs off past the interval.
            pause = OUTAGE_BACKOFF.delay(self._outage.failures) if self._outage.failures else 0
            await asyncio.sleep(max(interval, pause))

    async def run_once(self, job: PeriodicJob, runtime: Any) -> bool:
        """Run the job now unless another replica is running it; tell whether it ran."""
        lock = f"job:{self._schema}:{job.name}"
        try:
            async with self._pool.acquire() as conn:
                if not await conn.fetchval("SELECT pg_try_advisory_lock(hashtext($1))", lock):
                    return False
                started = time.perf_counter()
                try:
                    await job.run(runtime)
                    metrics.JOB_RUNS.labels(self._service, job.name, "ok").inc()
                finally:
                    await conn.execute("SELECT pg_advisory_unlock(hashtext($1))", lock)
                    metrics.JOB_SECONDS.labels(self._service, job.name).observe(
                        time.perf_counter() - started
                    )
                self._outage.recovered()
                return True
        except asyncio.CancelledError:
            raise
        except BROKEN as exc:
            metrics.JOB_RUNS.labels(self._service, job.name, "error").inc()
            self._outage.failed(f"job:{job.name}", exc)
            return False
        except Exception:
            metrics.JOB_RUNS.labels(self._service, job.name, "error").inc()
            log.exception("job.failed", job=job.name)
            return False
