"""Adapters to the platforms and shared resources: cached clients, images, category facts."""

import struct
import zlib
from dataclasses import dataclass
from decimal import Decimal

import httpx
from connector_connections import ClientCache, Connection, PlatformClients, clients_for, shops_of
from connector_runtime.deps import ServiceDeps
from tiktok_shop import TikTokShopClient
from tiktok_shop.models.products import Product as TikTokProduct

from catalog_sync.core.mapping import TikTokSnapshot
from catalog_sync.core.models import (
    AttributeRequirement,
    CategoryRequirements,
    CertificationRequirement,
    SourceVideo,
)
from catalog_sync.core.region import category_version
from catalog_sync.settings import CatalogSyncSettings


def placeholder_png(side: int = 600) -> bytes:
    """A plain grey PNG that passes TikTok's main-image size rule (300-4000 px)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    rows = (b"\x00" + b"\x80" * side) * side
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def placeholder_mp4(width: int = 720, height: int = 720) -> bytes:
    """A minimal MP4 (`ftyp` + `moov/trak/tkhd`) with the given video size (keeps the ratio
    TikTok checks on upload)."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    tkhd = (
        struct.pack(">I5I", 3, 0, 0, 1, 0, 1000)
        + bytes(16)
        + matrix
        + struct.pack(">II", width << 16, height << 16)
    )
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isommp41")
    return ftyp + box(b"moov", box(b"trak", box(b"tkhd", tkhd)))


@dataclass(kw_only=True)
class Platforms(ServiceDeps[CatalogSyncSettings]):
    """Per-process resources: one client pair per connection revision (keeps the clients' QPS
    pacing across messages), an HTTP client for images, a side pool, settings, pool and clock."""

    platform_clients: ClientCache
    # Progress the merchant sees while a task runs commits batch by batch, outside the handler.
    side_pool_size: int = 4
    _http: httpx.AsyncClient | None = None

    @classmethod
    def of(cls, settings: CatalogSyncSettings) -> "Platforms":
        """The service's resources with real platform clients, paced per TikTok endpoint."""

        def build(connection: Connection) -> PlatformClients:
            qps = settings.tiktok_qps_per_endpoint
            return clients_for(connection, settings, qps_per_endpoint=qps)

        return cls(settings=settings, platform_clients=ClientCache(build))

    def clients(self, connection: Connection) -> PlatformClients:
        """Clients for a connection (rebuilt when its revision changes, e.g. new tokens)."""
        return self.platform_clients.get(connection)

    def market_clients(self, connection: Connection) -> dict[str, TikTokShopClient]:
        """Each authorized region's TikTok client (its own shop and grant), by market."""
        return {
            shop.region: self.platform_clients.for_shop(connection, shop).tiktok
            for shop in shops_of(connection)
        }

    async def aclose(self) -> None:
        """Close the platform clients, the image client and the side pool."""
        await self.platform_clients.aclose()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        await super().aclose()

    async def image_bytes(self, url: str) -> bytes:
        """The bytes of a Shopify image (or the placeholder, see CATALOG_IMAGE_PLACEHOLDER)."""
        if self.settings.catalog_image_placeholder:
            return placeholder_png()
        return await self._download(url, seconds=30)

    async def video_bytes(self, video: SourceVideo) -> bytes:
        """The bytes of a Shopify video (or a placeholder of its size, as for images)."""
        if self.settings.catalog_image_placeholder:
            return placeholder_mp4(video.width or 720, video.height or 720)
        return await self._download(video.url, seconds=300)

    async def _download(self, url: str, seconds: float) -> bytes:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=30, follow_redirects=True)
        try:
            response = await self._http.get(url, timeout=seconds)
            response.raise_for_status()
        except httpx.HTTPStatusError as exc:
            raise MediaUnavailable(url, f"HTTP {exc.response.status_code}") from exc
        except httpx.HTTPError as exc:
            raise MediaUnavailable(url, type(exc).__name__) from exc
        return response.content


class MediaUnavailable(Exception):
    """A Shopify image or video that could not be downloaded (Shopify's side, not TikTok's)."""

    def __init__(self, url: str, detail: str) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url
        self.detail = detail


async def fetch_requirements(
    tiktok: TikTokShopClient, category_id: str, region: str
) -> CategoryRequirements:
    """Get Attributes + Get Category Rules of a leaf, as the core's requirements."""
    version = category_version(region)
    attributes = await tiktok.catalog.attributes(category_id, version)
    rules = await tiktok.catalog.rules(category_id, version)
    return CategoryRequirements(
        category_id=category_id,
        attributes=[
            AttributeRequirement(
                id=a.id,
                name=a.name,
                required=a.is_required,
                sales=a.type == "SALES_PROPERTY",
                value_ids={v.id or "": v.name or "" for v in a.values if v.id},
                customizable=a.is_customizable,
            )
            for a in attributes
        ],
        certifications=[
            CertificationRequirement(id=c.id, name=c.name, required=c.is_required)
            for c in rules.product_certifications
        ],
        package_dimensions_required=rules.package_dimension.is_required,
        size_chart_required=bool(rules.size_chart and rules.size_chart.is_required),
        responsible_person_required=rules.responsible_person.is_required,
        manufacturer_required=rules.manufacturer.is_required,
    )


def snapshot_of(product: TikTokProduct) -> TikTokSnapshot:
    """What TikTok has now, for "leave as is" sync rules."""
    return TikTokSnapshot(
        title=product.title,
        description=product.description,
        main_image_uris=[i.uri for i in product.main_images if i.uri],
        brand_id=product.brand.id if product.brand and product.brand.id else None,
        video_id=product.video.id if product.video else None,
        sku_prices={
            s.id: s.price.sale_price or s.price.tax_exclusive_price or Decimal(0)
            for s in product.skus
            if s.price
        },
        sku_stock={s.id: sum(w.quantity for w in s.inventory) for s in product.skus},
        sku_inventory={
            s.id: {w.warehouse_id: w.quantity for w in s.inventory if w.warehouse_id}
            for s in product.skus
        },
    )
