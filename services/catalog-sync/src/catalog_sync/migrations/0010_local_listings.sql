-- A product's local listing is per region (issue 9, ADR 0320): the same Shopify product can be
-- listed locally in US and in GB, each with its own TikTok product, status, reason and SKU
-- links, keyed by the TikTok shop. The listing state each product held so far becomes its
-- connection's default shop's (the replica's tiktok_shop_id; '' for a connection without one).
CREATE TABLE local_listings (
    connection_id text NOT NULL,
    shopify_product_id text NOT NULL,
    tiktok_shop_id text NOT NULL,
    status text NOT NULL DEFAULT 'not_synced',
    reason text,
    reason_code integer,
    issues jsonb NOT NULL DEFAULT '[]',
    tiktok_product_id text,
    tiktok_status text,
    audit_status text,
    sku_links jsonb NOT NULL DEFAULT '[]',
    last_push_task_id text,
    pushed_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_shop_id, shopify_product_id)
);
CREATE INDEX local_listings_status ON local_listings (connection_id, tiktok_shop_id, status);
CREATE INDEX local_listings_tiktok ON local_listings (tiktok_product_id);

INSERT INTO local_listings (connection_id, shopify_product_id, tiktok_shop_id, status, reason,
        reason_code, issues, tiktok_product_id, tiktok_status, audit_status, sku_links,
        last_push_task_id, pushed_at, updated_at)
    SELECT p.connection_id, p.shopify_product_id, COALESCE(c.tiktok_shop_id, ''), p.status,
        p.reason, p.reason_code, p.issues, p.tiktok_product_id, p.tiktok_status, p.audit_status,
        p.sku_links, p.last_push_task_id, p.pushed_at, p.updated_at
    FROM products p LEFT JOIN connections c ON c.connection_id = p.connection_id
    WHERE p.status <> 'not_synced' OR p.tiktok_product_id IS NOT NULL
        OR p.last_push_task_id IS NOT NULL;

ALTER TABLE products DROP COLUMN status, DROP COLUMN reason, DROP COLUMN reason_code,
    DROP COLUMN issues, DROP COLUMN tiktok_product_id, DROP COLUMN tiktok_status,
    DROP COLUMN audit_status, DROP COLUMN sku_links, DROP COLUMN last_push_task_id,
    DROP COLUMN pushed_at;
