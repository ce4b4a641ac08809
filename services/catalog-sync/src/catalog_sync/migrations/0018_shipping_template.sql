-- A region's shipping template (TikTok Shop Template Settings), beside its warehouse: NULL
-- leaves the choice to TikTok (the shop's default template).
ALTER TABLE catalog_region_settings ADD COLUMN shipping_template_id text;
