-- A connection removed by its owner, or expired while pending, belongs to no account any more
-- (its replica row stays, disconnected, so a late event cannot bring it back as new); pending
-- connections expire by their age (ADR 0820). Rows created before this migration count from now.
ALTER TABLE connections ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE connections ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX connections_pending_by_age ON connections (created_at) WHERE status = 'pending';
