-- A waiting pull's check with Shopify is a durable work item (connector_runtime.work, runtime
-- migration 0003) instead of a scan of `checked_at`; waiting pulls get theirs, due now.
INSERT INTO work_items (kind, key, due_at)
SELECT 'bulk-pull-check', task_id, now() FROM bulk_pulls WHERE finished_at IS NULL
ON CONFLICT (kind, key) DO NOTHING;
DROP INDEX bulk_pulls_waiting;
ALTER TABLE bulk_pulls DROP COLUMN checked_at;
