-- Users managed by their account's owner (issue 12, ADR 0810): an invited user has no password
-- until they follow their invitation link; invitation and password-reset links are single-use,
-- expiring, and stored as the SHA-256 of their secret only.
ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL;

CREATE TABLE user_links (
    link_hash  text PRIMARY KEY,
    user_id    text        NOT NULL REFERENCES users ON DELETE CASCADE,
    purpose    text        NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX user_links_by_user ON user_links (user_id, purpose);
