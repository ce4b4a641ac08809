-- Top products and customers by amount rank on a bigint of hundredths beside the exact numeric
-- (issue 14, docs/adr/1035): summing a period's blocks groups tens of thousands of rows, and a
-- numeric sum costs 4 to 6 times a bigint's. The numeric stays what is shown; the ranking
-- column is the same amount in minor units (TikTok's amounts have at most 2 decimals).
ALTER TABLE home_product_sums ADD COLUMN amount_minor bigint NOT NULL DEFAULT 0;
UPDATE home_product_sums SET amount_minor = round(amount * 100);
ALTER TABLE home_product_sums ALTER COLUMN amount_minor DROP DEFAULT;
DROP INDEX home_product_sums_amount;
CREATE INDEX home_product_sums_amount ON home_product_sums
    (connection_id, region, grain, start, currency, per_sku, amount_minor DESC, product_id COLLATE "C", sku_id COLLATE "C");

ALTER TABLE home_customer_sums ADD COLUMN amount_minor bigint NOT NULL DEFAULT 0;
UPDATE home_customer_sums SET amount_minor = round(amount * 100);
ALTER TABLE home_customer_sums ALTER COLUMN amount_minor DROP DEFAULT;
DROP INDEX home_customer_sums_amount;
CREATE INDEX home_customer_sums_amount ON home_customer_sums
    (connection_id, region, grain, start, currency, amount_minor DESC, buyer_id COLLATE "C");
