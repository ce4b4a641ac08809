"""Re-sealing every stored token with the first `CONNECTOR_SECRET_KEY` after a key rotation.

Run `python -m gateway rotate-keys` once every service has been given `NEW,OLD`: access tokens
are re-published (the replicas take the re-sealed copies by `connection.changed`), refresh
tokens re-sealed in place. Afterwards OLD can be dropped from the list.
"""

import structlog
from connector_connections.replica import load_connection
from connector_runtime import db as database
from connector_runtime.db import Connection

from gateway.core.connecting import resealed
from gateway.publishing import publish
from gateway.settings import GatewaySettings
from gateway.store import (
    list_connections,
    reseal_shop_secret,
    save_secrets,
    sealed_refresh_tokens,
    shop_refresh_tokens,
)

log = structlog.get_logger()


async def reseal_connection(db: Connection, settings: GatewaySettings, connection_id: str) -> None:
    """One connection's tokens, re-sealed and published in one transaction."""
    reseal = settings.secret_box().reseal
    async with db.transaction():
        sealed = await sealed_refresh_tokens(db, connection_id)  # locks the secrets row
        by_shop = await shop_refresh_tokens(db, connection_id)
        c = await load_connection(db, connection_id)
        if c is None:
            return
        await publish(db, settings, resealed(c, reseal))
        if sealed:
            await save_secrets(
                db, connection_id, **{k: reseal(v) if v else None for k, v in sealed.items()}
            )
        for shop_id, token in by_shop.items():
            await reseal_shop_secret(db, connection_id, shop_id, reseal(token))


async def rotate_keys(settings: GatewaySettings) -> int:
    """Re-seal the tokens of every connection; return how many connections were re-sealed."""
    pool = await database.create_pool(
        settings.database_url, settings.schema_name, 1, service=settings.service_name
    )
    try:
        async with pool.acquire() as db:
            connections = await list_connections(db)
            for c in connections:
                await reseal_connection(db, settings, c.connection_id)
                log.info("connection.tokens_resealed", connection_id=c.connection_id)
    finally:
        await pool.close()
    return len(connections)
