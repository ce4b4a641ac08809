-- Brazil invoices (ADR 0631): one row per package of an order (a combined package has one per
-- order), NEED_INVOICE until uploaded, then TikTok's verdict (webhook 36).
CREATE TABLE invoices (
    tiktok_order_id text NOT NULL,
    package_id text NOT NULL,
    connection_id text NOT NULL,
    tiktok_shop_id text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'NEED_INVOICE',
    reason text,
    file_name text,
    uploaded_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tiktok_order_id, package_id)
);
CREATE INDEX invoices_by_connection ON invoices (connection_id, tiktok_shop_id, status);
CREATE INDEX invoices_by_package ON invoices (package_id);

-- A Shopify fulfilment of a Brazil order waiting for its packages' invoices to be verified;
-- shipped (and deleted) when the last of them succeeds.
CREATE TABLE held_shipments (
    tiktok_order_id text NOT NULL,
    fulfillment_id text NOT NULL,
    fulfilment jsonb NOT NULL,
    held_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tiktok_order_id, fulfillment_id)
);
