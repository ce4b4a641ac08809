-- Connections are owned by the gateway (the merchant API); services keep replicas.
-- (The replica table `connections` from the runtime doubles as the gateway's own store.)

-- Webhook notifications already accepted, for dedupe across platform retries.
CREATE TABLE webhook_receipts (
    platform    text        NOT NULL,
    dedupe_key  text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (platform, dedupe_key)
);

-- Read model of orders for the merchant API, built from order events.
CREATE TABLE orders_view (
    tiktok_order_id  text PRIMARY KEY,
    connection_id    text        NOT NULL,
    status           text        NOT NULL,
    status_updated_at timestamptz NOT NULL,
    paid             boolean     NOT NULL DEFAULT false,
    paid_at          timestamptz,
    paid_events      integer     NOT NULL DEFAULT 0,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_view_by_connection ON orders_view (connection_id, updated_at DESC);
