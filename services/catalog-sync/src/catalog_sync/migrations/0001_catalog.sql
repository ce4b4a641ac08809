-- catalog-sync: pulled products, their TikTok listing state, mappings, settings and tasks.
CREATE TABLE catalog_settings (
    connection_id text PRIMARY KEY,
    categories_source text NOT NULL DEFAULT 'product_type',
    auto_pull boolean NOT NULL DEFAULT false,
    inventory_location_id text,
    sync_rules jsonb NOT NULL DEFAULT '{}',
    listing jsonb NOT NULL DEFAULT '{}',
    warehouse_id text,
    last_pulled_updated_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
    connection_id text NOT NULL,
    shopify_product_id text NOT NULL,
    source jsonb NOT NULL,
    title text NOT NULL,
    category_key text,
    shopify_updated_at timestamptz NOT NULL,
    deleted boolean NOT NULL DEFAULT false,
    status text NOT NULL DEFAULT 'not_synced',
    reason text,
    reason_code integer,
    issues jsonb NOT NULL DEFAULT '[]',
    tiktok_product_id text,
    tiktok_status text,
    audit_status text,
    sku_links jsonb NOT NULL DEFAULT '[]',
    edits jsonb NOT NULL DEFAULT '{}',
    listing jsonb NOT NULL DEFAULT '{}',
    sync_rules jsonb,
    last_push_task_id text,
    pushed_at timestamptz,
    pulled_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, shopify_product_id)
);
CREATE INDEX products_status ON products (connection_id, status) WHERE NOT deleted;
CREATE INDEX products_category ON products (connection_id, category_key);
CREATE INDEX products_tiktok ON products (tiktok_product_id);

CREATE TABLE category_mappings (
    connection_id text NOT NULL,
    source_key text NOT NULL,
    tiktok_category_id text,
    tiktok_category_name text,
    origin text NOT NULL DEFAULT 'unmatched',
    note text,
    listing jsonb NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, source_key)
);

CREATE TABLE category_requirements (
    connection_id text NOT NULL,
    category_id text NOT NULL,
    requirements jsonb NOT NULL,
    fetched_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, category_id)
);

CREATE TABLE images (
    connection_id text NOT NULL,
    source_url text NOT NULL,
    tiktok_uri text NOT NULL,
    PRIMARY KEY (connection_id, source_url)
);

CREATE TABLE tasks (
    task_id text PRIMARY KEY,
    connection_id text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL DEFAULT 'running',
    total integer,
    done integer NOT NULL DEFAULT 0,
    failed integer NOT NULL DEFAULT 0,
    detail text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tasks_connection ON tasks (connection_id, created_at DESC);
