"""catalog-sync's push handler with fake platform clients, on the real broker and PostgreSQL: a
push command creates the product on TikTok once and stores it as synced, with its SKU links."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from catalog_sync import store
from catalog_sync.app import build_spec
from catalog_sync.core.categories import CategoryMapping
from catalog_sync.core.models import (
    CategoryRequirements,
    ListingLayer,
    PackageSetting,
    SourceProduct,
    SourceVariant,
)
from catalog_sync.platform import Platforms
from catalog_sync.settings import CatalogSyncSettings
from catalog_sync.store.models import CatalogSettings
from connector_connections import ClientCache, Connection, PlatformClients
from connector_contracts import (
    CatalogPushRequested,
    ConnectionChanged,
    ConnectionStatus,
    new_envelope,
)
from connector_devstack.in_process import isolated_settings, send, serve
from connector_devstack.infra import Infra
from connector_devstack.polling import poll_async
from connector_runtime.service import Runtime
from tiktok_shop.models.products import (
    Product,
    ProductInput,
    ProductWriteResult,
    UploadedImage,
)

pytestmark = pytest.mark.integration

CATEGORY = "600020"
PRODUCT = SourceProduct(
    shopify_product_id="gid://shopify/Product/1",
    title="Soy Candle",
    description_html="<p>Burns for 40 hours.</p>",
    product_type="Candle",
    image_urls=["https://cdn.example/candle.jpg"],
    variants=[
        SourceVariant(
            shopify_variant_id="gid://shopify/ProductVariant/11", sku="C-1", price=Decimal("5")
        )
    ],
    updated_at=datetime(2026, 1, 1, tzinfo=UTC),
)


class FakeTikTokProducts:
    """Create Product: TikTok assigns the product and SKU ids."""

    def __init__(self) -> None:
        self.created: list[ProductInput] = []

    async def create(self, product: ProductInput) -> ProductWriteResult:
        self.created.append(product)
        n = len(self.created)
        skus = [
            {"id": f"17290000000000{n}{i}", "seller_sku": s.seller_sku or ""}
            for i, s in enumerate(product.skus)
        ]
        return ProductWriteResult.model_validate({"product_id": f"1729000{n}", "skus": skus})

    async def get(self, product_id: str) -> Product:
        """Get Product: a created product is under review (Create answers no status)."""
        return Product.model_validate(
            {"id": product_id, "status": "PENDING", "audit": {"status": "AUDITING"}}
        )


class FakeTikTokCatalog:
    """Upload Product Image."""

    def __init__(self) -> None:
        self.uploads = 0

    async def upload_image(self, content: bytes, use_case: str = "MAIN_IMAGE") -> UploadedImage:
        self.uploads += 1
        return UploadedImage(uri=f"tos-maliva-i-{self.uploads}")


class FakeTikTok:
    """The TikTok resources a push uses, and closing."""

    def __init__(self) -> None:
        self.products = FakeTikTokProducts()
        self.catalog = FakeTikTokCatalog()
        self.closed = False

    async def aclose(self) -> None:
        self.closed = True


class NoShopify:
    """A push reads only what the pull stored: any Shopify call is a failure."""

    async def aclose(self) -> None:
        pass


@pytest.fixture
async def tiktok() -> FakeTikTok:
    return FakeTikTok()


@pytest.fixture
async def catalog(infra: Infra, tiktok: FakeTikTok) -> AsyncIterator[Runtime]:
    settings = isolated_settings(
        CatalogSyncSettings,
        infra,
        service_name=f"catalog-sync-{uuid.uuid4().hex[:6]}",
        catalog_image_placeholder=True,  # no image download: the fake takes any bytes
    )

    def build(_: Connection) -> PlatformClients:
        return PlatformClients(NoShopify(), tiktok)  # type: ignore[arg-type]

    deps = Platforms(settings=settings, platform_clients=ClientCache(build))
    async with serve(build_spec(settings, deps), settings) as runtime:
        yield runtime
    assert tiktok.closed  # the runtime closed its deps, and with them the clients


SHOP_ID = "7495000000000000002"


async def known_connection(runtime: Runtime, connection_id: str) -> bool:
    async with runtime.pool.acquire() as conn:
        return bool(
            await conn.fetchval("SELECT 1 FROM connections WHERE connection_id = $1", connection_id)
        )


async def connect_and_pull(runtime: Runtime, connection_id: str) -> None:
    """The connection's replica by event; the pulled product, its mapping and settings as a
    pull and the merchant's settings page would have stored them."""
    connection = ConnectionChanged(
        connection_id=connection_id,
        revision=1,
        name="Candles",
        status=ConnectionStatus.ACTIVE,
        shopify_shop_domain="candles.myshopify.com",
        shopify_access_token="sealed",
        tiktok_region="US",
        tiktok_shop_id=SHOP_ID,
        tiktok_shop_cipher="cipher",
        tiktok_access_token="sealed",
    )
    await send(runtime, new_envelope(connection, connection_id=connection_id))
    async with runtime.pool.acquire() as db:
        await store.upsert_products(db, connection_id, [(PRODUCT, "Candle")])
        mapping = CategoryMapping(
            source_key="Candle", tiktok_category_id=CATEGORY, origin="recommended"
        )
        await store.save_mapping(db, connection_id, SHOP_ID, mapping)
        requirements = CategoryRequirements(category_id=CATEGORY)
        await store.save_requirements(db, connection_id, SHOP_ID, requirements)
        listing = ListingLayer(package=PackageSetting(weight=1))
        await store.save_settings(
            db, connection_id, CatalogSettings(listing=listing, warehouse_id="WH-1"), SHOP_ID
        )
    assert await poll_async(lambda: known_connection(runtime, connection_id), bool)


async def task_counts(runtime: Runtime, task_id: str) -> tuple[str, int, int]:
    """The task's status, and its products pushed and failed."""
    async with runtime.pool.acquire() as db:
        row = await db.fetchrow(
            "SELECT status, done, failed FROM tasks WHERE task_id = $1", task_id
        )
    assert row is not None
    return row["status"], row["done"], row["failed"]


async def test_a_push_command_creates_the_tiktok_product_and_stores_it_synced(
    catalog: Runtime, tiktok: FakeTikTok
) -> None:
    connection_id, task_id = f"conn_{uuid.uuid4().hex[:8]}", str(uuid.uuid4())
    await connect_and_pull(catalog, connection_id)
    async with catalog.pool.acquire() as db:
        await store.create_task(db, task_id, connection_id, "push", 1)
    command = CatalogPushRequested(
        connection_id=connection_id,
        task_id=task_id,
        shopify_product_ids=[PRODUCT.shopify_product_id],
    )
    await send(catalog, new_envelope(command, connection_id=connection_id, task_id=task_id))

    counts = await poll_async(lambda: task_counts(catalog, task_id), lambda c: c[0] != "running")
    assert counts == ("completed", 1, 0)
    [body] = tiktok.products.created
    assert (body.title, body.category_id) == ("Soy Candle", CATEGORY)
    assert [image.uri for image in body.main_images] == ["tos-maliva-i-1"]
    assert [(s.seller_sku, s.price.amount) for s in body.skus] == [("C-1", Decimal("5"))]
    async with catalog.pool.acquire() as db:
        record = await store.load_product(db, connection_id, PRODUCT.shopify_product_id, SHOP_ID)
    assert record is not None
    assert (record.status.value, record.tiktok_product_id) == ("synced", "17290001")
    assert (record.tiktok_status, record.audit_status) == ("PENDING", "AUDITING")  # as read
    assert [(link.shopify_variant_id, link.tiktok_sku_id) for link in record.sku_links] == [
        ("gid://shopify/ProductVariant/11", "1729000000000010")
    ]
