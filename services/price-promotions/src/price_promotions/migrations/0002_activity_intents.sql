-- Activities a run is about to create, written outside the run's transaction (ADR 0520): if
-- the run dies after TikTok created one, this row survives the rollback and the product's next
-- run that wants no activity looks the title up and ends it.
CREATE TABLE activity_intents (
    connection_id      text        NOT NULL,
    tiktok_shop_id     text        NOT NULL,
    shopify_product_id text        NOT NULL,
    generation         integer     NOT NULL,
    noted_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_shop_id, shopify_product_id, generation)
);
