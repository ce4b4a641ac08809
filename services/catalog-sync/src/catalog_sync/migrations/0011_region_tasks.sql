-- A push task belongs to the region it lists in (issue 9, ADR 0320): its TikTok shop. NULL: a
-- task of the whole connection (pulls, Global Products, link by SKU, CSV edits, and every task
-- created before regions).
ALTER TABLE tasks ADD COLUMN tiktok_shop_id text;
