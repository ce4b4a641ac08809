-- A renewal queues the next activity to begin the second the current one ends (ADR 0530):
-- until then the record names the one still running, which takes the same deal changes and
-- removals.
ALTER TABLE product_prices ADD COLUMN activity_predecessor_id text;
