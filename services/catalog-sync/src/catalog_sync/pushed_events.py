"""`product.pushed`, however a product came to be on TikTok in a region: pushed, linked by SKU
or by hand (Map Product), or published from Global Products. Each carries the SKU links and
what the services acting on the product learn only from it (ADRs 0531, 0533): the region's
warehouse and the "Product stock" / "Product price" rules resolved for the product."""

from collections.abc import Sequence
from dataclasses import dataclass

from connector_contracts import ProductPushed, SkuLink
from connector_runtime.db import Connection as Db

from catalog_sync import store
from catalog_sync.core.sync_rules import SyncRules, synced_by_others


@dataclass(frozen=True)
class RegionShop:
    """The region a link is recorded in: its shop id (None while the connection has none), and
    what its `product.pushed` owes the services acting on the product there (ADRs 0531, 0533):
    the region's sync rules (their "Product stock" / "Product price" rules) and warehouse."""

    shop_id: str | None
    region: str | None
    sync_rules: SyncRules
    warehouse_id: str | None

    def pushed(
        self,
        shopify_product_id: str,
        tiktok_product_id: str,
        tiktok_status: str | None,
        skus: Sequence[SkuLink],
        product_rules: SyncRules | None,
        *,
        created: bool = False,
    ) -> ProductPushed:
        """The `product.pushed` of a product linked in this region: its SKU links with the
        stock and price rules resolved for it (product > region > default), so inventory-guard
        and price-promotions honour them however the product came to be linked."""
        sync_stock, sync_price = synced_by_others(self.sync_rules, product_rules)
        return ProductPushed(
            shopify_product_id=shopify_product_id,
            tiktok_product_id=tiktok_product_id,
            tiktok_status=tiktok_status,
            created=created,
            skus=list(skus),
            tiktok_shop_id=self.shop_id,
            region=self.region,
            warehouse_id=self.warehouse_id,
            sync_stock=sync_stock,
            sync_price=sync_price,
        )


async def load_region_shop(
    db: Db, connection_id: str, shop_id: str | None, region: str | None
) -> RegionShop:
    """A region to link in, with its settings' sync rules and warehouse."""
    settings = await store.load_settings(db, connection_id, shop_id)
    return RegionShop(shop_id, region, settings.sync_rules, settings.warehouse_id)
