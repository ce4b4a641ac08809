-- Each connection's account travels on `connection.changed` (docs/adr/0840): a caller signed
-- without its connection ids (a large account) owns the replica's connections of its account.
-- Rows replicated before this migration get their account with the connection's next change.
ALTER TABLE connections ADD COLUMN IF NOT EXISTS account_id text;
CREATE INDEX IF NOT EXISTS connections_by_account ON connections (account_id);
