-- Order settings are per region: keyed by the TikTok shop too (ADR 0300). A connection's
-- settings saved so far become its one shop's (its default region); a connection without a
-- shop yet keeps them under '' (read until that region saves its own).
ALTER TABLE order_settings ADD COLUMN tiktok_shop_id text NOT NULL DEFAULT '';
UPDATE order_settings o SET tiktok_shop_id = c.tiktok_shop_id
    FROM connections c
    WHERE c.connection_id = o.connection_id AND c.tiktok_shop_id IS NOT NULL;
ALTER TABLE order_settings DROP CONSTRAINT order_settings_pkey;
ALTER TABLE order_settings ADD PRIMARY KEY (connection_id, tiktok_shop_id);

-- A missed-order sync searches one region (its TikTok shop; NULL: the default region).
ALTER TABLE sync_tasks ADD COLUMN tiktok_shop_id text;
