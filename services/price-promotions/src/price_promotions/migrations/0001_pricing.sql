-- Pricing of each region (a TikTok shop of a connection, ADR 0023) and what the connector
-- pushed: prices per SKU, the discount activity per product, tasks with progress.
CREATE TABLE region_pricing (
    connection_id         text        NOT NULL,
    tiktok_shop_id        text        NOT NULL,
    region                text        NOT NULL,
    mode                  text        NOT NULL DEFAULT 'shopify_price',
    sync_rule             text        NOT NULL DEFAULT 'origin',
    exchange_rate         numeric(18, 8) NOT NULL DEFAULT 1,
    rules                 jsonb       NOT NULL DEFAULT '[]',
    two_prices_enabled_at timestamptz,
    updated_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_shop_id)
);

-- Shopify variant <-> TikTok SKU links (from product.pushed), per region.
CREATE TABLE price_links (
    connection_id      text NOT NULL,
    tiktok_shop_id     text NOT NULL,
    shopify_product_id text NOT NULL,
    tiktok_product_id  text NOT NULL,
    shopify_variant_id text NOT NULL,
    tiktok_sku_id      text NOT NULL,
    PRIMARY KEY (connection_id, tiktok_shop_id, shopify_variant_id)
);
CREATE INDEX price_links_by_product ON price_links (connection_id, shopify_product_id);

-- A product's price state in a region: the last sync, its outcome and its activity.
CREATE TABLE product_prices (
    connection_id      text        NOT NULL,
    tiktok_shop_id     text        NOT NULL,
    shopify_product_id text        NOT NULL,
    tiktok_product_id  text        NOT NULL,
    status             text        NOT NULL DEFAULT 'pending',  -- pending, synced, skipped, failed
    reason             text,
    skus               jsonb       NOT NULL DEFAULT '{}',  -- sku id -> {list_price, deal_price, no_deal, currency}
    activity_id        text,
    activity_generation integer    NOT NULL DEFAULT 0,  -- last generation created (0: none yet)
    activity_begin     timestamptz,
    activity_end       timestamptz,
    activity_deals     jsonb,
    renewal_failures   integer     NOT NULL DEFAULT 0,
    synced_at          timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_shop_id, shopify_product_id)
);
CREATE INDEX product_prices_renewals ON product_prices (tiktok_shop_id, activity_end)
    WHERE activity_id IS NOT NULL;

-- "Update price" and mode-change refreshes: a task per request, an item per product.
CREATE TABLE price_tasks (
    task_id        text        PRIMARY KEY,
    connection_id  text        NOT NULL,
    tiktok_shop_id text        NOT NULL,
    kind           text        NOT NULL,  -- update_price, refresh
    total          integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE price_task_items (
    task_id            text NOT NULL REFERENCES price_tasks ON DELETE CASCADE,
    shopify_product_id text NOT NULL,
    state              text NOT NULL DEFAULT 'pending',  -- pending, done, failed
    PRIMARY KEY (task_id, shopify_product_id)
);
CREATE INDEX price_task_items_pending ON price_task_items (shopify_product_id)
    WHERE state = 'pending';
