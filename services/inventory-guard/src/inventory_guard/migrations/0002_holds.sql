-- Units TikTok orders hold that Shopify does not show yet (the order is not relayed, or its
-- Shopify decrement has not been reported): taken off the quantity sent (issue 10).
CREATE TABLE hold_orders (
    tiktok_order_id text        PRIMARY KEY,
    connection_id   text        NOT NULL,
    tiktok_shop_id  text        NOT NULL,
    state           text        NOT NULL,  -- fetching, holding, released
    relayed_at      timestamptz
);
CREATE TABLE holds (
    tiktok_order_id text    NOT NULL REFERENCES hold_orders ON DELETE CASCADE,
    connection_id   text    NOT NULL,
    tiktok_shop_id  text    NOT NULL,
    tiktok_sku_id   text    NOT NULL,
    quantity        integer NOT NULL,
    PRIMARY KEY (tiktok_order_id, tiktok_sku_id)
);
CREATE INDEX holds_by_sku ON holds (connection_id, tiktok_shop_id, tiktok_sku_id);
