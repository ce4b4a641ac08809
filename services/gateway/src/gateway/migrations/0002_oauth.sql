-- The gateway owns connections: the `connections` table (same shape as every service's
-- replica) is written here first, with secrets that never leave the gateway beside it.
CREATE TABLE connection_secrets (
    connection_id           text PRIMARY KEY,
    tiktok_refresh_token    text,
    tiktok_refresh_expires_at timestamptz,
    shopify_refresh_token   text,
    shopify_access_expires_at timestamptz,
    updated_at              timestamptz NOT NULL DEFAULT now()
);

-- OAuth `state` values handed out, so a callback can be tied to its connection (CSRF).
CREATE TABLE oauth_states (
    state         text PRIMARY KEY,
    connection_id text        NOT NULL,
    platform      text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
