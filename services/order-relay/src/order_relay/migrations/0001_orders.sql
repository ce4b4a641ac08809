CREATE TABLE orders (
    tiktok_order_id   text PRIMARY KEY,
    connection_id     text        NOT NULL,
    tiktok_shop_id    text        NOT NULL,
    status            text        NOT NULL,
    is_on_hold_order  boolean     NOT NULL,
    tiktok_updated_at timestamptz NOT NULL,
    paid              boolean     NOT NULL,
    paid_event_id     uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
