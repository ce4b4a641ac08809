-- A connection holds one or more TikTok shops (regions), each with its own grant (ADR 0300).
-- The single shop a connection had so far becomes its only, default, region.
ALTER TABLE connections ADD COLUMN IF NOT EXISTS tiktok_shops jsonb NOT NULL DEFAULT '[]'::jsonb;
UPDATE connections SET tiktok_shops = jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
        'shop_id', tiktok_shop_id,
        'region', tiktok_region,
        'cipher', tiktok_shop_cipher,
        'access_token', tiktok_access_token,
        'access_token_expires_at', to_jsonb(tiktok_access_token_expires_at),
        'status', CASE
            WHEN tiktok_access_token IS NOT NULL THEN 'authorized'
            WHEN status = 'disconnected' THEN 'deauthorized'
            ELSE 'needs_reauthorization' END,
        'authorization_problem',
            CASE WHEN tiktok_access_token IS NULL THEN authorization_problem END)))
    WHERE tiktok_shop_id IS NOT NULL AND tiktok_shop_cipher IS NOT NULL
      AND tiktok_shops = '[]'::jsonb;
-- Webhooks and orders find their connection by any of its shops.
CREATE INDEX IF NOT EXISTS connections_by_any_tiktok_shop
    ON connections USING gin (tiktok_shops jsonb_path_ops);
