-- Pulls waiting in line for one of their Shopify store's bulk slots (ADR 0370): Shopify runs a
-- store's bulk queries for one app a few at a time, and every connection of the store shares
-- them. The row outlives restarts; a `bulk-pull-start` work item retries it.
CREATE TABLE bulk_pull_waits (
    task_id             text        PRIMARY KEY,
    connection_id       text        NOT NULL,
    shopify_shop_domain text        NOT NULL,
    command             jsonb       NOT NULL,
    queued_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bulk_pull_waits_by_store ON bulk_pull_waits (shopify_shop_domain, queued_at);
