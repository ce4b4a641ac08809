"""The external-reference write-back as its own work: `relay-link` items (ADR 0710).

A relay that created (or found) the Shopify order queues the TikTok -> Shopify link in its own
transaction, so the link is as durable as the relay's record and never holds up the relay. A
link worker claims up to 100 due links at once and sends them in shared Add External Order
References calls (100 orders a call); each link keeps its own outcome: a per-order refusal is
logged (it was never fatal: the Shopify order exists and is recorded), an outage retries that
link with backoff. The link is idempotent, so a crash that sends it twice is harmless.
"""

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from connector_connections import PlatformClients, load_connection
from connector_connections.platforms import NotAuthorized
from connector_runtime import work
from connector_runtime.db import Connection
from connector_runtime.work import WorkItem
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.common import ItemError
from tiktok_shop.models.orders import ExternalOrderLink

log = structlog.get_logger()

LINK = "relay-link"  # work kind: one per relayed order, keyed by TikTok order id
MAX_LINKS = 100  # orders per Add External Order References call


async def queue_link(
    conn: Connection, connection_id: str, shop_id: str, link: ExternalOrderLink
) -> None:
    """Queue the order's link, due now, in the relay's transaction."""
    payload = {"connection_id": connection_id, "shop_id": shop_id, "link": link.to_body()}
    await work.queue(conn, LINK, link.id, payload=payload)


@dataclass(frozen=True)
class Sent:
    """A link's outcome in its batch: TikTok's per-order error (None: linked) or the call's."""

    outcome: ItemError | Exception | None


async def send_links(
    runtime: Any, conn: Connection, jobs: Sequence[WorkItem]
) -> Mapping[int, Sent]:
    """Send a claimed batch's links together, by job id (jobs whose connection or shop is
    gone are left to their runs, which drop them)."""
    clients: dict[tuple[str, str], PlatformClients | None] = {}
    for job in jobs:
        target = (str(job.payload["connection_id"]), str(job.payload["shop_id"]))
        if target not in clients:
            clients[target] = await _clients(runtime, conn, *target)
    sending = [
        (job, client)
        for job in jobs
        if (client := clients[(str(job.payload["connection_id"]), str(job.payload["shop_id"]))])
    ]
    # Started together: the client's shared calls carry up to 100 links each.
    outcomes = await asyncio.gather(
        *(c.tiktok.orders.add_external_reference(_link(job)) for job, c in sending),
        return_exceptions=True,
    )
    return {
        job.id: Sent(outcome)
        for (job, _client), outcome in zip(sending, outcomes, strict=True)
        if isinstance(outcome, ItemError | Exception | None)
    }


async def run_link(runtime: Any, conn: Connection, job: WorkItem) -> None:
    """Settle one link: raise an outage (retried with backoff), log a refusal."""
    sent = job.prepared
    if not isinstance(sent, Sent):  # its batch's call did not carry it: send it alone
        sent = (await send_links(runtime, conn, [job])).get(job.id)
    if sent is None:
        log.warning("order.external_reference_dropped", tiktok_order_id=job.key)
        return  # the connection or its shop is gone: nothing to link to
    if isinstance(sent.outcome, BusinessError):
        # A definite "no" for this link alone (a shared call refused is asked again link by
        # link): retrying cannot fix it.
        log.warning(
            "order.external_reference_refused", tiktok_order_id=job.key, error=str(sent.outcome)
        )
        return
    if isinstance(sent.outcome, Exception):
        raise sent.outcome  # an outage: this link is retried with backoff
    if sent.outcome is not None:
        log.warning("order.external_reference_refused", tiktok_order_id=job.key, error=sent.outcome)


async def _clients(
    runtime: Any, conn: Connection, connection_id: str, shop_id: str
) -> PlatformClients | None:
    connection = await load_connection(conn, connection_id)
    if connection is None:
        return None
    try:
        clients: PlatformClients = await runtime.deps.clients(connection, shop_id)
    except NotAuthorized:
        return None
    return clients


def _link(job: WorkItem) -> ExternalOrderLink:
    return ExternalOrderLink.model_validate(job.payload["link"])
