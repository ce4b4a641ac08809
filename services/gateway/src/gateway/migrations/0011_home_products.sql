-- The Home dashboard's product counts (issue 14, docs/adr/0920): fed by catalog-sync's
-- `product.sync.changed`. `home_products` holds each product's newest state (a row only moves
-- to a higher revision); the counts move by the difference, so Home never scans products.
CREATE TABLE home_products (
    connection_id      text    NOT NULL,
    shopify_product_id text    NOT NULL,
    revision           bigint  NOT NULL,
    deleted            boolean NOT NULL,
    regions            jsonb   NOT NULL,
    PRIMARY KEY (connection_id, shopify_product_id)
);

-- Live (not deleted) products per connection: "not synced" in a region is these minus the
-- region's counted ones.
CREATE TABLE home_product_totals (
    connection_id text    PRIMARY KEY,
    live          integer NOT NULL
);

-- Products per region's shop ('' for a connection without one) and status (synced,
-- sync_failed, update_failed).
CREATE TABLE home_product_counts (
    connection_id  text    NOT NULL,
    tiktok_shop_id text    NOT NULL,
    status         text    NOT NULL,
    products       integer NOT NULL,
    PRIMARY KEY (connection_id, tiktok_shop_id, status)
);
