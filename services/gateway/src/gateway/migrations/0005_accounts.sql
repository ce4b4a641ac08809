-- Merchant accounts (issue 12, ADR 0800): an account owns connections; its users log in with a
-- password (argon2id) for a browser session or use personal API tokens. Secrets that grant
-- access (session ids, API tokens) are stored as SHA-256 hashes only.
CREATE TABLE accounts (
    account_id text PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Every connection made before accounts existed belongs to this account; the first owner made
-- by `python -m gateway create-owner` joins it (ADR 0800).
INSERT INTO accounts (account_id, name) VALUES ('bootstrap', 'Bootstrap account');

CREATE TABLE users (
    user_id       text PRIMARY KEY,
    account_id    text        NOT NULL REFERENCES accounts,
    name          text        NOT NULL,
    email         text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('owner', 'admin')),
    password_hash text        NOT NULL,
    disabled      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- One user per email in a deployment, whatever its case.
CREATE UNIQUE INDEX users_by_email ON users (lower(email));

CREATE TABLE sessions (
    session_hash text PRIMARY KEY,
    user_id      text        NOT NULL REFERENCES users ON DELETE CASCADE,
    csrf_token   text        NOT NULL,
    address      text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    token_id     text PRIMARY KEY,
    user_id      text        NOT NULL REFERENCES users ON DELETE CASCADE,
    name         text        NOT NULL,
    token_hash   text        NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id, created_at);

-- Failed logins, by email and by client address, for the rate limit and lockout; rows older
-- than the policy looks back are pruned as new ones arrive.
CREATE TABLE login_failures (
    kind      text        NOT NULL CHECK (kind IN ('email', 'address')),
    key       text        NOT NULL,
    failed_at timestamptz NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (kind, key, failed_at);

-- Who did what, when and from where: every login (either outcome) and every change.
CREATE TABLE audit_log (
    audit_id   bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    account_id text,
    user_id    text,
    actor      text        NOT NULL,
    action     text        NOT NULL,
    target     text,
    address    text,
    detail     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_account ON audit_log (account_id, at DESC);

ALTER TABLE connections
    ADD COLUMN account_id text NOT NULL DEFAULT 'bootstrap' REFERENCES accounts;
CREATE INDEX connections_by_account ON connections (account_id);
