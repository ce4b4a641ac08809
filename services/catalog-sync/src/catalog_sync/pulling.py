"""Pull products from Shopify: a finished bulk operation's file, or one product by webhook."""

from collections.abc import Sequence
from datetime import datetime

import structlog
from connector_connections import (
    Connection,
    PlatformClients,
    Shop,
    inventory_locations,
    region_shop_id,
    shops_of,
)
from connector_connections.shops import as_shop
from connector_contracts import CatalogPullRequested, Envelope, ProductPulled, new_envelope
from connector_runtime.db import Connection as Db
from connector_runtime.outbox import write_outbox
from shopify.bulk import BulkOperations, assemble_products
from shopify.errors import ShopifyError
from tiktok_shop import TikTokShopError
from tiktok_shop.errors import BusinessError

from catalog_sync import metrics, store
from catalog_sync.core.categories import (
    CategoryMapping,
    category_key,
    recommendation_query,
    recommended,
)
from catalog_sync.core.global_products import GLOBAL_PREFIX
from catalog_sync.core.models import SourceProduct
from catalog_sync.core.region import category_version
from catalog_sync.core.translate import to_source_product
from catalog_sync.platform import Platforms
from catalog_sync.store import CatalogSettings
from catalog_sync.sync_status_events import announce_products
from catalog_sync.task_events import announce_task

log = structlog.get_logger()


def pulled_event(product: SourceProduct) -> ProductPulled:
    """The `product.pulled` fact for a stored product."""
    return ProductPulled(
        shopify_product_id=product.shopify_product_id,
        title=product.title,
        product_type=product.product_type or None,
        variant_count=len(product.variants),
    )


async def store_pulled(
    db: Db,
    platforms: Platforms,
    connection_id: str,
    settings: CatalogSettings,
    products: Sequence[SourceProduct],
    cause: Envelope[CatalogPullRequested] | None,
    trigger: str,
) -> None:
    """Upsert products, in the caller's transaction; emit `product.pulled` for each one new,
    revived or changed, and `product.sync.changed` for each one new, revived or never announced
    (a re-pull of an unchanged, announced catalog announces nothing: nothing would move)."""
    source = settings.categories_source
    keyed = [(p, category_key(p, source)) for p in products]
    upserted = await store.upsert_products(db, connection_id, keyed)
    changed = set(upserted.changed)
    for product in (p for p in products if p.shopify_product_id in changed):
        await write_outbox(
            db,
            platforms.settings,
            new_envelope(
                pulled_event(product),
                connection_id=connection_id,
                task_id=cause.payload.task_id if cause else None,
                correlation_id=cause.correlation_id if cause else None,
                causation_id=cause.event_id if cause else None,
            ),
        )
    await announce_products(db, platforms.settings, connection_id, upserted.announce)
    metrics.PRODUCTS_PULLED.labels(trigger, "upsert").inc(len(products))
    metrics.PRODUCTS_PULLED.labels(trigger, "unchanged").inc(len(products) - len(changed))


async def map_new_categories(
    db: Db, platforms: Platforms, connection: Connection, prefix: str = ""
) -> int:
    """Ask TikTok's category recommendation for every Shopify category not mapped yet: in each
    authorized region, from its market's tree (`prefix`: the Global Categories, the
    connection's, recommended through the default shop)."""
    if prefix:
        clients = platforms.clients(connection)
        return await _recommend(db, clients, connection, region_shop_id(connection, None), prefix)
    mapped = 0
    for shop in shops_of(connection):
        mapped += await map_region_categories(db, platforms, connection, shop)
    return mapped


async def map_region_categories(
    db: Db, platforms: Platforms, connection: Connection, shop: Shop
) -> int:
    """Map one region's unmapped categories with TikTok's recommendation for its market."""
    seen = as_shop(connection, shop)
    clients = platforms.platform_clients.for_shop(seen, shop)
    return await _recommend(db, clients, seen, shop.shop_id, "")


async def _recommend(
    db: Db, clients: PlatformClients, connection: Connection, shop_id: str | None, prefix: str
) -> int:
    keys = await store.category_keys_without_mapping(db, connection.connection_id, shop_id, prefix)
    market = "GLOBAL" if prefix else connection.tiktok_region
    for key, sample in keys:
        mapping = await _recommendation(clients, connection, prefix + key, sample)
        outcome = "recommended" if mapping.tiktok_category_id else "none"
        metrics.CATEGORY_RECOMMENDATIONS.labels(market, outcome).inc()
        if mapping.note:
            log.info(
                "catalog.no_category_recommendation", region=market, key=key, note=mapping.note
            )
        await store.save_mapping(db, connection.connection_id, shop_id, mapping)
    return len(keys)


async def _recommendation(
    clients: PlatformClients, connection: Connection, key: str, sample: str
) -> CategoryMapping:
    """TikTok's leaf for a Shopify category in the connection's (default shop's) market."""
    version = category_version(connection.tiktok_region)
    source_key = key.removeprefix(GLOBAL_PREFIX)
    try:
        rec = await clients.tiktok.catalog.recommend_category(
            recommendation_query(source_key, sample), version
        )
    except BusinessError as exc:
        return recommended(key, None, None, f"TikTok Shop has no recommendation: {exc.message}")
    leaf = next((c for c in rec.categories if c.id == rec.leaf_category_id), None)
    return recommended(key, rec.leaf_category_id, leaf.name if leaf else None, None)


async def store_bulk_result(
    platforms: Platforms,
    db: Db,
    cause: Envelope[CatalogPullRequested],
    connection: Connection,
    url: str | None,
    total: int,
) -> str:
    """Store a completed export's products; returns the task's detail line. Batches commit as
    they stream in (progress from zero again when a redelivery streams the file twice)."""
    p = cause.payload
    settings = await store.load_settings(db, p.connection_id, None)
    bulk = platforms.clients(connection).shopify.bulk
    pool = await platforms.side_pool()
    async with pool.acquire() as side:
        await side.execute(
            "UPDATE tasks SET total=$2, done=0, updated_at=now() WHERE task_id=$1", p.task_id, total
        )
        await announce_task(side, platforms.settings, p.task_id)
    locations = await inventory_locations(db, connection)
    pulled = await _stream(platforms, bulk, url, settings, cause, locations) if url else []
    newest = max([d for d in (settings.last_pulled_updated_at, *pulled) if d], default=None)
    mapped = await map_new_categories(db, platforms, connection)
    if p.global_list:
        mapped += await map_new_categories(db, platforms, connection, GLOBAL_PREFIX)
    await store.save_pull_mark(db, p.connection_id, newest)
    return f"pulled {len(pulled)} of {total} products; {mapped} new categories mapped"


async def _stream(
    platforms: Platforms,
    bulk: BulkOperations,
    url: str,
    settings: CatalogSettings,
    cause: Envelope[CatalogPullRequested],
    locations: list[str],
) -> list[datetime]:
    """Store the result file's products batch by batch; their updated_at values."""
    batch: list[SourceProduct] = []
    seen: list[datetime] = []
    async for product in assemble_products(bulk.lines(url)):
        batch.append(to_source_product(product, locations))
        seen.append(product.updated_at)
        if len(batch) >= platforms.settings.catalog_pull_batch_size:
            await _flush(platforms, cause.payload.connection_id, settings, batch, cause)
            batch = []
    await _flush(platforms, cause.payload.connection_id, settings, batch, cause)
    return seen


async def _flush(
    platforms: Platforms,
    connection_id: str,
    settings: CatalogSettings,
    batch: list[SourceProduct],
    cause: Envelope[CatalogPullRequested],
) -> int:
    if not batch:
        return 0
    pool = await platforms.side_pool()
    async with pool.acquire() as side, side.transaction():
        await store_pulled(side, platforms, connection_id, settings, batch, cause, "bulk")
        if cause.payload.global_list:
            ids = [b.shopify_product_id for b in batch]
            await store.add_to_global_list(side, connection_id, ids)
        await side.execute(
            "UPDATE tasks SET done=done+$2, updated_at=now() WHERE task_id=$1",
            cause.payload.task_id,
            len(batch),
        )
        await announce_task(side, platforms.settings, cause.payload.task_id)
    return len(batch)


PULL_ERRORS = (ShopifyError, TikTokShopError)
