"""Publishing a connection's new state."""

from connector_connections.replica import upsert_connection
from connector_contracts import ConnectionChanged, new_envelope
from connector_runtime.db import Connection as Db_
from connector_runtime.outbox import write_outbox

from gateway.settings import GatewaySettings


async def publish(db: Db_, settings: GatewaySettings, c: ConnectionChanged) -> None:
    """Store the connection's new state and publish it to every service (one transaction)."""
    await upsert_connection(db, c)
    await write_outbox(db, settings, new_envelope(c, connection_id=c.connection_id))
