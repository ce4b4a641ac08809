-- Relay jobs, sweep schedules and missed-order sync runs become durable work items
-- (connector_runtime.work, runtime migration 0003); each old row moves before its table goes.

INSERT INTO work_items (kind, key, due_at, attempts, last_error, payload)
SELECT 'relay', tiktok_order_id, due_at, transient_failures, last_error,
       jsonb_build_object('connection_id', connection_id, 'attempt', attempt)
FROM relay_timers
ON CONFLICT (kind, key) DO NOTHING;

-- `order.paid` no longer reaches order-relay itself: a paid order whose event was still in
-- flight at the upgrade gets its relay job here (relaying is idempotent).
INSERT INTO work_items (kind, key, due_at, payload)
SELECT 'relay', tiktok_order_id, now(),
       jsonb_build_object('connection_id', connection_id, 'attempt', relay_attempts + 1)
FROM orders
WHERE paid AND relay_state = 'pending'
ON CONFLICT (kind, key) DO NOTHING;
DROP TABLE relay_timers;

INSERT INTO work_items (kind, key, due_at)
SELECT 'sweep', connection_id, next_run_at FROM sweeps
ON CONFLICT (kind, key) DO NOTHING;
-- What remains is the sweep's own record (last seen/emitted, failures), read by the API.
ALTER TABLE sweeps DROP COLUMN next_run_at, DROP COLUMN last_run_at;

-- Queued tasks, and running ones whose runner the upgrade stopped, run (again) from the start.
INSERT INTO work_items (kind, key, due_at)
SELECT 'missed-order-sync', task_id, now() FROM sync_tasks WHERE status IN ('queued', 'running')
ON CONFLICT (kind, key) DO NOTHING;
