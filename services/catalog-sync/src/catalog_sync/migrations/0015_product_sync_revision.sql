-- Every emitted `product.sync.changed` carries the product's next revision (docs/adr/0920):
-- the gateway's Home counts keep the highest, so a redelivery or reorder never moves a
-- product's counts back. Bumped under the product row's lock, so it grows in commit order.
ALTER TABLE products ADD COLUMN sync_revision bigint NOT NULL DEFAULT 0;
