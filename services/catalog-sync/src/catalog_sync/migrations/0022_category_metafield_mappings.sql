-- Bulk metafield mapping at category level (issue 15, ADR 0645): per region, like the rest of a
-- category's listing data, a list of Shopify metafield -> TikTok attribute mappings (with their
-- value maps). Existing categories map no metafield.
ALTER TABLE category_mappings ADD COLUMN metafield_mappings jsonb NOT NULL DEFAULT '[]';
