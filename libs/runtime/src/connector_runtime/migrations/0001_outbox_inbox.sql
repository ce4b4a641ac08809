-- Transactional outbox: rows written in the same transaction as the state change.
CREATE TABLE outbox (
    id          bigserial PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    topic       text        NOT NULL,
    key         text        NOT NULL,
    value       bytea       NOT NULL,
    headers     jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Inbox: event ids already applied; inserted in the same transaction as their effect.
CREATE TABLE inbox (
    event_id     uuid        PRIMARY KEY,
    topic        text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    redeliveries integer     NOT NULL DEFAULT 0
);

-- Failed attempts per message survive restarts, so a poison message reaches the DLQ
-- even when the consumer keeps crashing on it.
CREATE TABLE consumer_attempts (
    event_key  text        PRIMARY KEY,
    topic      text        NOT NULL,
    attempts   integer     NOT NULL,
    last_error text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
