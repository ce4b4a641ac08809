-- Optimize Info (ADR 0640): what the connector changed on a region's TikTok listing with
-- TikTok's suggestions, and TikTok's value before the first change (what Undo restores).
-- field: title | description | main_image (main_image: the original and optimized uris).
CREATE TABLE IF NOT EXISTS optimizations (
    connection_id text NOT NULL,
    tiktok_shop_id text NOT NULL,
    shopify_product_id text NOT NULL,
    field text NOT NULL,
    previous text NOT NULL,
    applied text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_shop_id, shopify_product_id, field)
);
