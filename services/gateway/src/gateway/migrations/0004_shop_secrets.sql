-- Each TikTok shop (region) of a connection has its own grant, so its own refresh token
-- (ADR 0300). The one TikTok refresh token a connection had moves to its one shop; the old
-- column is emptied so a sealed secret is kept in one place only.
CREATE TABLE shop_secrets (
    connection_id      text NOT NULL,
    tiktok_shop_id     text NOT NULL,
    refresh_token      text,
    refresh_expires_at timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_shop_id)
);
INSERT INTO shop_secrets (connection_id, tiktok_shop_id, refresh_token, refresh_expires_at)
    SELECT s.connection_id, c.tiktok_shop_id, s.tiktok_refresh_token, s.tiktok_refresh_expires_at
    FROM connection_secrets s JOIN connections c USING (connection_id)
    WHERE c.tiktok_shop_id IS NOT NULL AND s.tiktok_refresh_token IS NOT NULL;
UPDATE connection_secrets SET tiktok_refresh_token = NULL, tiktok_refresh_expires_at = NULL
    WHERE connection_id IN (SELECT connection_id FROM shop_secrets);

-- "Add Country/Region": the market a TikTok authorization is for (NULL: the first shop).
ALTER TABLE oauth_states ADD COLUMN region text;
