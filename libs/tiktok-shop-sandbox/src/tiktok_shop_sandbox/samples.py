"""Sample payloads that pass the sandbox's rules: a PNG image, an MP4 video, a listable product."""

import struct
import zlib
from decimal import Decimal

from tiktok_shop.models.common import ImageRef, TikTokModel
from tiktok_shop.models.products import Price, ProductInput, SkuInput, WarehouseStock, Weight

# "Kitchen Storage": a leaf with no required attributes, brand, certification or dimensions.
PLAIN_CATEGORY = "600010"


def sample_png(width: int = 600, height: int = 600) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def sample_mp4(width: int = 720, height: int = 720) -> bytes:
    """A minimal MP4 (`ftyp` + `moov/trak/tkhd`) whose video track is `width` x `height`."""

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    tkhd = (
        struct.pack(">I5I", 3, 0, 0, 1, 0, 1000)  # version+flags, times, track 1, duration
        + bytes(8)  # reserved
        + struct.pack(">hhhH", 0, 0, 0, 0)  # layer, group, volume, reserved
        + matrix
        + struct.pack(">II", width << 16, height << 16)
    )
    ftyp = box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isommp41")
    return ftyp + box(b"moov", box(b"trak", box(b"tkhd", tkhd)))


def sample_product(
    image_uri: str,
    warehouse_id: str,
    seller_sku: str,
    *,
    title: str = "Glass Storage Jar With Bamboo Lid 1L",
    currency: str = "USD",
    category_version: str = "v2",
) -> ProductInput:
    """A one-SKU product the sandbox accepts for a US shop."""
    return ProductInput(
        title=title,
        description="<p>Airtight glass jar for pantry storage.</p>",
        category_id=PLAIN_CATEGORY,
        category_version=category_version,
        main_images=[ImageRef(uri=image_uri)],
        package_weight=Weight(value=Decimal("0.8"), unit="KILOGRAM"),
        skus=[
            SkuInput(
                seller_sku=seller_sku,
                price=Price(amount=Decimal("12.90"), currency=currency),
                inventory=[WarehouseStock(warehouse_id=warehouse_id, quantity=25)],
            )
        ],
    )


def global_product(image: str, unit: str = "KILOGRAM") -> TikTokModel:
    """A Create Global Product body that passes the sandbox's rules (one SKU, `G-JAR-1`)."""
    return TikTokModel.model_validate(
        {
            "title": "Glass Storage Jar With Bamboo Lid 1L",
            "description": "<p>Airtight jar.</p>",
            "category_id": PLAIN_CATEGORY,
            "main_images": [ImageRef(uri=image)],
            "package_weight": Weight(value=Decimal("0.8"), unit=unit),
            "skus": [
                {"seller_sku": "G-JAR-1", "price": Price(amount=Decimal("10"), currency="USD")}
            ],
        }
    )
