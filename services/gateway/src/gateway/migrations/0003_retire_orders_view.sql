-- Orders are served by order-relay from its own tables (docs/adr/0006); the gateway's early
-- read model of them is retired.
DROP TABLE IF EXISTS orders_view;
