-- Email notifications (issue 12, docs/adr/0830). An account's settings; without a row the
-- defaults apply (on, to the account's first owner).
CREATE TABLE notification_settings (
    account_id text PRIMARY KEY REFERENCES accounts ON DELETE CASCADE,
    enabled    boolean     NOT NULL,
    recipients text[]      NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every notification mailed, by its dedupe key: a redelivered or repeated event finds its key
-- here and mails nothing again.
CREATE TABLE notifications_sent (
    dedupe_key    text PRIMARY KEY,
    account_id    text        NOT NULL,
    connection_id text        NOT NULL,
    kind          text        NOT NULL,
    recipients    integer     NOT NULL,
    queued_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notifications_sent_by_connection ON notifications_sent (connection_id, queued_at);

-- The authorization problems of a connection standing at its last `connection.changed`: a
-- problem is mailed when it appears, not again while it stands.
CREATE TABLE notification_authorizations (
    connection_id text PRIMARY KEY,
    revision      integer NOT NULL,
    problems      text[]  NOT NULL
);

-- Finished push/publish tasks with failures, waiting for their connection's digest (a
-- `notification-digest` work item per connection, due at the end of the window).
CREATE TABLE notification_digest_entries (
    connection_id text        NOT NULL,
    task_id       text        NOT NULL,
    entry         jsonb       NOT NULL,
    noted_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, task_id)
);
