-- Each service's own replica of the merchant connections (event-carried state transfer).
CREATE TABLE connections (
    connection_id       text PRIMARY KEY,
    name                text NOT NULL,
    shopify_shop_domain text NOT NULL,
    tiktok_shop_id      text NOT NULL,
    tiktok_region       text NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connections_by_tiktok_shop ON connections (tiktok_shop_id);
