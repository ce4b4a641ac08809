-- Every emitted `task.changed` carries the task's next sequence (ADR 0900): the gateway's
-- task list keeps the highest, so a redelivery or reorder never moves a task back.
ALTER TABLE tasks ADD COLUMN sequence bigint NOT NULL DEFAULT 0;
-- The failures of a push task, counted by reason for its `task.changed` (once per chunk).
CREATE INDEX local_listings_failed_by_task ON local_listings (last_push_task_id)
    WHERE reason IS NOT NULL;
