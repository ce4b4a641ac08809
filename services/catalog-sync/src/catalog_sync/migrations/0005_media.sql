-- Shopify product videos uploaded to TikTok Shop (Upload Product File), re-used by every push.
CREATE TABLE videos (
    connection_id text NOT NULL,
    source_url text NOT NULL,
    tiktok_file_id text NOT NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, source_url)
);
