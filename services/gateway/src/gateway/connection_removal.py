"""Removing a connection: its owner deletes it, or it expired while pending (ADR 0820, 0841).

The connection is published disconnected and `removed`, of no account: every service stops
working on it, forgets its tokens and purges its rows about it (products, orders, stock,
prices, tasks), keeping only its replica row as a tombstone. The gateway deletes its secrets,
OAuth states and read-model rows in the same transaction: nobody can see it again, and its
shop is free for a new connection.
"""

from datetime import datetime, timedelta
from typing import Any

import structlog
from connector_connections.replica import load_connection
from connector_contracts import ConnectionChanged
from connector_runtime.db import Connection as Db
from connector_runtime.jobs import PeriodicJob

from gateway import metrics
from gateway.core.connecting import disconnected
from gateway.home_handlers import purge_connection
from gateway.platforms import Deps
from gateway.publishing import publish
from gateway.settings import GatewaySettings

log = structlog.get_logger()


async def remove_connection(
    db: Db, settings: GatewaySettings, c: ConnectionChanged, reason: str
) -> None:
    """Disconnect `c`, delete its secrets and take it from its account (in the caller's
    transaction)."""
    gone = disconnected(c).model_copy(update={"account_id": None, "removed": True})
    await publish(db, settings, gone)  # leaves its account here too (the replica's upsert)
    await purge_connection(db, c.connection_id)
    metrics.CONNECTIONS_REMOVED.labels(reason).inc()
    log.info("connection.removed", connection_id=c.connection_id, reason=reason)


async def expired_pending(db: Db, before: datetime) -> list[str]:
    """Ids of the pending connections of an account created before `before`."""
    rows = await db.fetch(
        "SELECT connection_id FROM connections WHERE status = 'pending'"
        " AND account_id IS NOT NULL AND created_at < $1 ORDER BY created_at LIMIT 500",
        before,
    )
    return [r["connection_id"] for r in rows]


async def expire_pending(runtime: Any) -> None:
    """Remove the connections still pending a TTL after their creation."""
    deps: Deps = runtime.deps
    ttl = timedelta(seconds=deps.settings.pending_connection_ttl_seconds)
    async with deps.pool.acquire() as db:
        for connection_id in await expired_pending(db, deps.now() - ttl):
            c = await load_connection(db, connection_id)
            if c is not None:
                async with db.transaction():
                    await remove_connection(db, deps.settings, c, "expired")


PENDING_EXPIRY = PeriodicJob(
    name="pending-connection-expiry",
    interval_seconds=lambda settings: min(300.0, settings.pending_connection_ttl_seconds / 4),
    run=expire_pending,
)
