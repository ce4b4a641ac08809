-- A TikTok review that arrived before the push that created the product had committed.
CREATE TABLE pending_reviews (
    tiktok_product_id text PRIMARY KEY,
    approved boolean NOT NULL,
    reasons jsonb NOT NULL DEFAULT '[]',
    received_at timestamptz NOT NULL DEFAULT now()
);
