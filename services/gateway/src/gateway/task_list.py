"""The task list read model: keep each task's newest state from `task.changed`."""

import structlog
from connector_connections import load_connection, region_of
from connector_contracts import Envelope, TaskChanged
from connector_runtime.db import Connection

from gateway import read_model_lag, task_store
from gateway.core.task_merge import newest_task_state

log = structlog.get_logger()

READ_MODEL = "tasks"


async def apply_task_changed(conn: Connection, envelope: Envelope[TaskChanged]) -> None:
    """Load the held state, keep the newer one, store it (the caller holds a transaction)."""
    incoming = envelope.payload
    held = await task_store.held_state(conn, incoming.task_id)
    if newest_task_state(held, incoming) is held:
        read_model_lag.stale(READ_MODEL)
        log.info("gateway.task_change_stale", task_id=incoming.task_id, seq=incoming.sequence)
        return
    await task_store.save_state(conn, envelope.connection_id, await _with_region(conn, envelope))
    read_model_lag.applied(READ_MODEL, envelope.occurred_at)


async def _with_region(conn: Connection, envelope: Envelope[TaskChanged]) -> TaskChanged:
    """The state with its shop's market filled in from the gateway's own connections, for an
    owner that named only the shop."""
    state = envelope.payload
    if state.region is not None or state.tiktok_shop_id is None:
        return state
    connection = await load_connection(conn, envelope.connection_id)
    if connection is None:
        return state
    return state.model_copy(update={"region": region_of(connection, state.tiktok_shop_id)})
