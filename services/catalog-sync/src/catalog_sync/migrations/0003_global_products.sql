-- EU Global Products: a product's global listing and where it is published.
ALTER TABLE products
    ADD COLUMN global_listed boolean NOT NULL DEFAULT false,
    ADD COLUMN global_status text,
    ADD COLUMN global_product_id text,
    ADD COLUMN global_reason text,
    ADD COLUMN global_skus jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN published jsonb NOT NULL DEFAULT '{}';
ALTER TABLE catalog_settings ADD COLUMN region_locations jsonb NOT NULL DEFAULT '{}';
