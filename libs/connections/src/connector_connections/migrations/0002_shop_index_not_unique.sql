-- A replica must accept every published state: a shop may belong to a disconnected connection
-- and to the new one that replaced it. The gateway refuses live duplicates (409) instead.
DROP INDEX IF EXISTS connections_by_tiktok_shop;
CREATE INDEX connections_by_tiktok_shop ON connections (tiktok_shop_id);
