-- The task list (issue 14, ADR 0900): every service's tasks, one row per task, fed by
-- `task.changed`. `sequence` is the owner's stamp: a row only moves to a higher one, so a
-- redelivery or reorder never moves a task back. Rebuildable from the topic
-- (`python -m gateway rebuild-read-model tasks`).
CREATE TABLE task_list (
    task_id        text PRIMARY KEY,
    connection_id  text        NOT NULL,
    sequence       bigint      NOT NULL,
    service        text        NOT NULL,
    type           text        NOT NULL,
    summary        text        NOT NULL,
    status         text        NOT NULL,
    tiktok_shop_id text,
    region         text,
    done           integer     NOT NULL,
    total          integer,
    failed         integer     NOT NULL,
    detail         text,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz,
    reasons        jsonb       NOT NULL DEFAULT '[]',
    items          jsonb       NOT NULL DEFAULT '[]'
);
-- Newest first per connection (keyset pages), filtered by status/type on the way.
CREATE INDEX task_list_newest ON task_list (connection_id, started_at DESC, task_id DESC);
