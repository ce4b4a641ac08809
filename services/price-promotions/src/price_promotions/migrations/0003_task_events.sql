-- Pricing tasks emit `task.changed` (ADR 0900): stamped with this sequence so the gateway's
-- task list keeps the newest; each failed item keeps its reason for the task's details.
ALTER TABLE price_tasks ADD COLUMN sequence bigint NOT NULL DEFAULT 0;
ALTER TABLE price_tasks ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE price_task_items ADD COLUMN reason text;
