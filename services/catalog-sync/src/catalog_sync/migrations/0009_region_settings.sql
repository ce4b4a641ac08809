-- Product settings are per region (issue 9, ADR 0320): the sync rules, the store-level listing
-- data (brand, attributes, compliance, size chart) and the warehouse are keyed by the TikTok
-- shop too. A connection's settings saved so far become its default shop's (its default
-- region); a connection without a shop yet keeps them under '' (read until a region saves its
-- own). What stays one per connection remains in catalog_settings: the package defaults (every
-- region), the categories source and auto-pull (they shape the one Shopify pull), the pull mark
-- and the inventory-location fields.
CREATE TABLE catalog_region_settings (
    connection_id text NOT NULL,
    tiktok_shop_id text NOT NULL,
    sync_rules jsonb NOT NULL DEFAULT '{}',
    listing jsonb NOT NULL DEFAULT '{}',
    warehouse_id text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_shop_id)
);
INSERT INTO catalog_region_settings (connection_id, tiktok_shop_id, sync_rules, listing,
        warehouse_id, updated_at)
    SELECT s.connection_id, COALESCE(c.tiktok_shop_id, ''), s.sync_rules, s.listing - 'package',
        s.warehouse_id, s.updated_at
    FROM catalog_settings s LEFT JOIN connections c ON c.connection_id = s.connection_id;

ALTER TABLE catalog_settings ADD COLUMN package jsonb;
UPDATE catalog_settings SET package = listing -> 'package' WHERE listing ? 'package';
ALTER TABLE catalog_settings DROP COLUMN sync_rules, DROP COLUMN listing,
    DROP COLUMN warehouse_id;
