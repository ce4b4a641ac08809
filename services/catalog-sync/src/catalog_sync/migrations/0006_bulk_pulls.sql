-- Pull tasks waiting on a Shopify bulk operation (ADR 0204): finished by the
-- bulk_operations/finish webhook, or by the bulk-pull-check job when that webhook is late or lost.
-- Keyed by connection too: an operation id is only known to be unique within its shop.
CREATE TABLE bulk_pulls (
    connection_id text NOT NULL,
    operation_id text NOT NULL,
    task_id text NOT NULL UNIQUE,
    -- The catalog.pull.requested envelope: window, Global Products flag and lineage of the pull.
    command jsonb NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    checked_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    outcome text,
    PRIMARY KEY (connection_id, operation_id)
);
CREATE INDEX bulk_pulls_waiting ON bulk_pulls (checked_at) WHERE finished_at IS NULL;
