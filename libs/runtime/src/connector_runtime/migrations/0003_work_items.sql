-- Durable work (connector_runtime.work): keyed items with a due time, claimed by any replica
-- with FOR UPDATE SKIP LOCKED. One table for every kind: parked messages, relay jobs, sweeps...
CREATE TABLE work_items (
    id         bigserial   PRIMARY KEY,
    kind       text        NOT NULL,
    key        text        NOT NULL,
    -- Items sharing an ordering key run one at a time, oldest (lowest id) first.
    order_key  text,
    due_at     timestamptz NOT NULL,
    attempts   integer     NOT NULL DEFAULT 0,
    queued_at  timestamptz NOT NULL DEFAULT now(),
    last_error text,
    payload    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    UNIQUE (kind, key)
);
CREATE INDEX work_items_due ON work_items (kind, due_at, id);
CREATE INDEX work_items_by_order_key ON work_items (kind, order_key, id) WHERE order_key IS NOT NULL;

-- Parked messages become items of kind `parked`; ids are kept, so each key's order holds.
INSERT INTO work_items (id, kind, key, order_key, due_at, attempts, queued_at, last_error, payload)
SELECT id, 'parked', 'parked-' || id, park_key, next_attempt_at, attempts, parked_at, last_error,
       jsonb_build_object(
           'topic', topic,
           'kafka_key', CASE WHEN kafka_key IS NULL THEN NULL ELSE encode(kafka_key, 'hex') END,
           'body', encode(body, 'base64'))
FROM parked_messages;
SELECT setval(pg_get_serial_sequence('work_items', 'id'),
              greatest((SELECT max(id) FROM work_items), 1));
DROP TABLE parked_messages;
