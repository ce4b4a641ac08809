-- Category mappings and their category-level listing data are per region (issue 9, ADR 0350):
-- each TikTok market has its own category tree, so a Shopify product type maps to a leaf of
-- each region's tree, keyed by the TikTok shop. The mappings saved so far become the
-- connection's default shop's (the replica's tiktok_shop_id; '' for a connection without one,
-- read by any region until it maps the type itself). Global Categories ('global:' keys) are
-- the connection's, one for every region, and stay under ''. The cached category requirements
-- were fetched through the default shop: they become its cache.
ALTER TABLE category_mappings ADD COLUMN tiktok_shop_id text NOT NULL DEFAULT '';
UPDATE category_mappings m SET tiktok_shop_id = c.tiktok_shop_id
    FROM connections c
    WHERE c.connection_id = m.connection_id AND c.tiktok_shop_id IS NOT NULL
        AND m.source_key NOT LIKE 'global:%';
ALTER TABLE category_mappings DROP CONSTRAINT category_mappings_pkey,
    ADD PRIMARY KEY (connection_id, tiktok_shop_id, source_key),
    ALTER COLUMN tiktok_shop_id DROP DEFAULT;

ALTER TABLE category_requirements ADD COLUMN tiktok_shop_id text NOT NULL DEFAULT '';
UPDATE category_requirements r SET tiktok_shop_id = c.tiktok_shop_id
    FROM connections c
    WHERE c.connection_id = r.connection_id AND c.tiktok_shop_id IS NOT NULL;
ALTER TABLE category_requirements DROP CONSTRAINT category_requirements_pkey,
    ADD PRIMARY KEY (connection_id, tiktok_shop_id, category_id),
    ALTER COLUMN tiktok_shop_id DROP DEFAULT;
