-- Qualification Center entities (created on TikTok; the connector keeps the details shown).
CREATE TABLE compliance_entities (
    connection_id text NOT NULL,
    kind text NOT NULL,
    entity_id text NOT NULL,
    details jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, kind, entity_id)
);

-- Category CSV uploads: the downloadable error file of each upload.
CREATE TABLE csv_uploads (
    upload_id text PRIMARY KEY,
    connection_id text NOT NULL,
    category_key text NOT NULL,
    valid_rows integer NOT NULL,
    error_rows integer NOT NULL,
    error_csv text NOT NULL,
    task_id text,
    created_at timestamptz NOT NULL DEFAULT now()
);
