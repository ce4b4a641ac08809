-- "Update stock" and the re-evaluation after a threshold change: tasks with one item per
-- product of a region, announced as task.changed (connector_runtime.item_tasks, ADR 0430).
CREATE TABLE stock_tasks (
    task_id        text        PRIMARY KEY,
    connection_id  text        NOT NULL,
    tiktok_shop_id text        NOT NULL,
    kind           text        NOT NULL,  -- update_stock, reevaluate
    total          integer     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    sequence       bigint      NOT NULL DEFAULT 0
);
CREATE TABLE stock_task_items (
    task_id            text NOT NULL REFERENCES stock_tasks ON DELETE CASCADE,
    shopify_product_id text NOT NULL,
    state              text NOT NULL DEFAULT 'pending',  -- pending, done, failed
    reason             text,
    PRIMARY KEY (task_id, shopify_product_id)
);
-- A push finishes its product's pending items: found by product, pending only.
CREATE INDEX stock_task_items_pending ON stock_task_items (shopify_product_id)
    WHERE state = 'pending';
