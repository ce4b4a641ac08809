"""The `price-sweep` work, periodic per region: renew activities that are due, retry failed
syncs and sync again what has not been synced for a while (webhooks can be lost)."""

from datetime import datetime, timedelta
from typing import Any

import structlog
from connector_connections import load_connection, shop_of
from connector_runtime import work
from connector_runtime.db import Connection
from connector_runtime.work import WorkItem

from price_promotions import metrics, store
from price_promotions.core.activities import renewable
from price_promotions.core.schedule import RENEW_LEAD
from price_promotions.platform import Deps
from price_promotions.store import Region
from price_promotions.syncing import PRICE_SYNC, sync_key

log = structlog.get_logger()
PRICE_SWEEP = "price-sweep"
# A renewal this late is an operator's problem (alert), not a retry still in flight.
OVERDUE_GRACE = timedelta(minutes=30)
RECONCILE_BATCH = 500


def sweep_key(region: Region) -> str:
    """The work key of a region's sweep."""
    return f"{region.connection_id}|{region.tiktok_shop_id}"


async def ensure_sweep(conn: Connection, region: Region, every_seconds: float) -> None:
    """Start the region's sweep unless it runs already."""
    await work.queue(
        conn, PRICE_SWEEP, sweep_key(region), delay_seconds=every_seconds, replace_existing=False
    )


async def run_price_sweep(runtime: Any, conn: Connection, item: WorkItem) -> None:
    """Queue the syncs the region needs now."""
    deps: Deps = runtime.deps
    connection_id, shop_id = item.key.split("|", 1)
    connection = await load_connection(conn, connection_id)
    shop = shop_of(connection, shop_id) if connection else None
    if connection is None or shop is None:
        return
    region = Region(connection_id, shop_id, shop.region)
    now = deps.now()
    due = await store.renewals_due(conn, region, now + RENEW_LEAD)
    stale = now - timedelta(hours=deps.settings.price_reconcile_hours)
    others = await store.needing_sync(conn, region, stale, RECONCILE_BATCH)
    for product_id in sorted(set(due) | set(others)):
        await work.queue(conn, PRICE_SYNC, sync_key(region, product_id), replace_existing=False)
    await _count_overdue(conn, region, now)


async def _count_overdue(conn: Connection, region: Region, now: datetime) -> None:
    enabled_at = (await store.load_pricing(conn, region)).two_prices_enabled_at
    overdue = await store.overdue_activities(conn, region, now + RENEW_LEAD - OVERDUE_GRACE)
    late = [s for s in overdue if s.activity and enabled_at and renewable(s.activity, enabled_at)]
    metrics.RENEWALS_OVERDUE.inc(len(late))
    if late:
        log.warning("price.renewals_overdue", key=sweep_key(region), activities=len(late))
