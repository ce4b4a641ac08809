-- Every change of a "sync missed orders" task emits `task.changed` stamped with this
-- sequence (ADR 0900): the gateway's task list keeps the highest, so a redelivery never moves
-- a task back.
ALTER TABLE sync_tasks ADD COLUMN sequence bigint NOT NULL DEFAULT 0;
