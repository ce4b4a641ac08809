-- Relay state of each TikTok order in Shopify, what happened to it, and the timers that move it.
ALTER TABLE orders
    ADD COLUMN relay_state        text        NOT NULL DEFAULT 'none',
    ADD COLUMN state_changed_at   timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN paid_source        text,
    ADD COLUMN shopify_shop_domain text,
    ADD COLUMN shopify_order_id   text,
    ADD COLUMN shopify_order_name text,
    ADD COLUMN held               boolean     NOT NULL DEFAULT false,
    ADD COLUMN relay_attempts     integer     NOT NULL DEFAULT 0,
    ADD COLUMN found_existing     boolean     NOT NULL DEFAULT false,
    ADD COLUMN failure_code       text,
    ADD COLUMN failure_reason     text,
    ADD COLUMN next_retry_at      timestamptz,
    ADD COLUMN line_map           jsonb,
    ADD COLUMN fulfillment_status text        NOT NULL DEFAULT 'unfulfilled',
    ADD COLUMN fulfillment_error  text,
    ADD COLUMN cancel_initiator   text,
    ADD COLUMN cancelled_at       timestamptz,
    ADD COLUMN total              numeric(18, 2),
    ADD COLUMN currency           text,
    ADD COLUMN relayed_at         timestamptz;
-- Shopify ids are unique per store, so a Shopify order is found by (store, id).
CREATE INDEX orders_by_shopify_order ON orders (shopify_shop_domain, shopify_order_id);
CREATE INDEX orders_by_connection ON orders (connection_id, tiktok_updated_at DESC);

-- What happened to an order, for the merchant (retry log, failures, shipments, cancels).
CREATE TABLE order_history (
    id              bigserial PRIMARY KEY,
    tiktok_order_id text        NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    kind            text        NOT NULL,
    message         text        NOT NULL
);
CREATE INDEX order_history_by_order ON order_history (tiktok_order_id, id);

-- Written (and committed) just before orderCreate: a later attempt looks the order up first.
CREATE TABLE relay_intents (
    tiktok_order_id text PRIMARY KEY,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Durable retry timers; replicas take due ones with FOR UPDATE SKIP LOCKED.
CREATE TABLE relay_timers (
    tiktok_order_id text PRIMARY KEY,
    connection_id   text        NOT NULL,
    due_at          timestamptz NOT NULL,
    attempt         integer     NOT NULL,
    transient_failures integer  NOT NULL DEFAULT 0,
    last_error      text
);
CREATE INDEX relay_timers_due ON relay_timers (due_at);

-- Shopify variant <-> TikTok SKU links, from `product.pushed`.
CREATE TABLE sku_links (
    connection_id             text NOT NULL,
    tiktok_sku_id             text NOT NULL,
    shopify_variant_id        text NOT NULL,
    shopify_inventory_item_id text,
    seller_sku                text,
    updated_at                timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_sku_id)
);

CREATE TABLE order_settings (
    connection_id text PRIMARY KEY,
    settings      jsonb       NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Reconciliation sweeps, one schedule row per connection (SKIP LOCKED across replicas).
CREATE TABLE sweeps (
    connection_id text PRIMARY KEY,
    next_run_at   timestamptz NOT NULL,
    last_run_at   timestamptz,
    last_seen     integer     NOT NULL DEFAULT 0,
    last_emitted  integer     NOT NULL DEFAULT 0,
    total_emitted bigint      NOT NULL DEFAULT 0
);

-- "Sync missed orders" tasks with their progress.
CREATE TABLE sync_tasks (
    task_id       text PRIMARY KEY,
    connection_id text        NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    status        text        NOT NULL,
    found         integer     NOT NULL DEFAULT 0,
    queued        integer     NOT NULL DEFAULT 0,
    already_synced integer    NOT NULL DEFAULT 0,
    error         text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Shopify fulfilments already shipped on TikTok.
CREATE TABLE shipments (
    fulfillment_id  text PRIMARY KEY,
    tiktok_order_id text        NOT NULL,
    line_ids        text[]      NOT NULL,
    package_ids     text[]      NOT NULL,
    tracking_number text        NOT NULL,
    provider_id     text        NOT NULL,
    shipped_at      timestamptz NOT NULL DEFAULT now()
);

-- TikTok returns already restocked in Shopify.
CREATE TABLE returns_applied (
    return_id       text PRIMARY KEY,
    tiktok_order_id text        NOT NULL,
    restocked       boolean     NOT NULL,
    applied_at      timestamptz NOT NULL DEFAULT now()
);

-- Orders TikTok cancelled for lack of stock (the "oversold" banner).
CREATE TABLE oversold_alerts (
    tiktok_order_id text PRIMARY KEY,
    connection_id   text        NOT NULL,
    products        jsonb       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    dismissed       boolean     NOT NULL DEFAULT false
);
