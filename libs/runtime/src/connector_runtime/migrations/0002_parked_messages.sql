-- Messages whose handler failed on a platform outage, retried later in key order
-- (connector_runtime.parking); the offset was committed, so this row is the only copy.
CREATE TABLE parked_messages (
    id              bigserial   PRIMARY KEY,
    park_key        text        NOT NULL,
    topic           text        NOT NULL,
    kafka_key       bytea,
    body            bytea       NOT NULL,
    attempts        integer     NOT NULL,
    last_error      text        NOT NULL,
    parked_at       timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL
);
CREATE INDEX parked_messages_by_key ON parked_messages (park_key, id);
CREATE INDEX parked_messages_by_due ON parked_messages (next_attempt_at, id);
