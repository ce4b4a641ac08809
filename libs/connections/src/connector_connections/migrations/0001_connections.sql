-- This service's replica of the merchant connections (event-carried state transfer).
CREATE TABLE connections (
    connection_id        text PRIMARY KEY,
    revision             integer     NOT NULL,
    name                 text        NOT NULL,
    status               text        NOT NULL,
    shopify_shop_domain  text        NOT NULL,
    shopify_access_token text,
    tiktok_region        text        NOT NULL,
    tiktok_shop_id       text,
    tiktok_shop_cipher   text,
    tiktok_access_token  text,
    tiktok_access_token_expires_at timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX connections_by_tiktok_shop ON connections (tiktok_shop_id);
CREATE INDEX connections_by_shopify_shop ON connections (shopify_shop_domain);
