-- Shopify available stock per inventory item and location: the newest Shopify figure wins.
CREATE TABLE levels (
    connection_id             text        NOT NULL,
    shopify_inventory_item_id text        NOT NULL,
    shopify_location_id       text        NOT NULL,
    available                 integer     NOT NULL,
    updated_at                timestamptz NOT NULL,
    PRIMARY KEY (connection_id, shopify_inventory_item_id, shopify_location_id)
);

-- A linked product in one region (TikTok shop), its policy state and what the merchant sees.
CREATE TABLE products (
    connection_id      text        NOT NULL,
    tiktok_shop_id     text        NOT NULL,
    shopify_product_id text        NOT NULL,
    tiktok_product_id  text        NOT NULL,
    region             text,
    warehouse_id       text,
    sync_stock         boolean     NOT NULL DEFAULT true,
    tiktok_status      text,
    guard_deactivated  boolean     NOT NULL DEFAULT false,
    overrides          jsonb       NOT NULL DEFAULT '{}',
    policy             text        NOT NULL DEFAULT 'none',
    reason             text,
    reason_code        text,
    pending_since      timestamptz,
    last_sync_at       timestamptz,
    PRIMARY KEY (connection_id, tiktok_shop_id, shopify_product_id)
);

-- Variant <-> TikTok SKU links per region, with what TikTok was last told.
CREATE TABLE skus (
    connection_id             text        NOT NULL,
    tiktok_shop_id            text        NOT NULL,
    tiktok_sku_id             text        NOT NULL,
    shopify_product_id        text        NOT NULL,
    shopify_variant_id        text        NOT NULL,
    shopify_inventory_item_id text,
    warehouses                jsonb       NOT NULL DEFAULT '{}',
    shopify_stock             integer,
    sent_quantity             integer,
    low                       boolean     NOT NULL DEFAULT false,
    sent_at                   timestamptz,
    PRIMARY KEY (connection_id, tiktok_shop_id, tiktok_sku_id)
);
CREATE INDEX skus_by_item ON skus (connection_id, shopify_inventory_item_id);
CREATE INDEX skus_by_product ON skus (connection_id, tiktok_shop_id, shopify_product_id);

-- Store-level settings per region: threshold, stock rules, inventory locations (ADR 0023).
CREATE TABLE region_settings (
    connection_id  text   NOT NULL,
    tiktok_shop_id text   NOT NULL,
    settings       jsonb  NOT NULL,
    PRIMARY KEY (connection_id, tiktok_shop_id)
);
-- The location card's revision per connection (inventory.locations.changed).
CREATE TABLE location_revisions (
    connection_id text   PRIMARY KEY,
    revision      bigint NOT NULL
);
CREATE INDEX products_by_tiktok_product ON products (connection_id, tiktok_product_id);
