-- The "Product price" sync rule has one owner, catalog-sync (per region and per product), and
-- reaches price-promotions on `product.pushed` (`sync_price`), kept per product link. A region
-- set to "TikTok Shop" here keeps it on its links until their next push brings catalog-sync's.
ALTER TABLE price_links ADD COLUMN sync_price boolean NOT NULL DEFAULT true;
UPDATE price_links l SET sync_price = false FROM region_pricing r
    WHERE r.connection_id = l.connection_id AND r.tiktok_shop_id = l.tiktok_shop_id
      AND r.sync_rule = 'tiktok';
ALTER TABLE region_pricing DROP COLUMN sync_rule;
