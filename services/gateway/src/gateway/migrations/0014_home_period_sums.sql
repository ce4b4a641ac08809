-- Top products and customers per calendar block (issue 14, docs/adr/0930): each sale is added
-- to its day, month, year and all time ('0001-01-01'), so a period reads a few blocks instead
-- of a row per day, and a period that is one block reads its top 10 off an index. Product rows
-- come per SKU and per whole product (sku_id ''), so both groupings rank off an index. Ties
-- rank by key in "C" order, the order the reader's threshold rule compares keys in.
CREATE TABLE home_product_sums (
    connection_id text    NOT NULL,
    region        text    NOT NULL,
    grain         text    NOT NULL,
    start         date    NOT NULL,
    currency      text    NOT NULL,
    per_sku       boolean NOT NULL,
    product_id    text    NOT NULL,
    sku_id        text    NOT NULL,
    name          text    NOT NULL,
    seller_sku    text    NOT NULL,
    quantity      integer NOT NULL,
    amount        numeric NOT NULL,
    PRIMARY KEY (connection_id, region, grain, start, currency, per_sku, product_id, sku_id)
);
CREATE INDEX home_product_sums_amount ON home_product_sums
    (connection_id, region, grain, start, currency, per_sku, amount DESC, product_id COLLATE "C", sku_id COLLATE "C");
CREATE INDEX home_product_sums_quantity ON home_product_sums
    (connection_id, region, grain, start, currency, per_sku, quantity DESC, product_id COLLATE "C", sku_id COLLATE "C");

-- Only TikTok's buyer id and the masked name TikTok gives; rows go when a redaction empties them.
CREATE TABLE home_customer_sums (
    connection_id text    NOT NULL,
    region        text    NOT NULL,
    grain         text    NOT NULL,
    start         date    NOT NULL,
    currency      text    NOT NULL,
    buyer_id      text    NOT NULL,
    buyer_name    text,
    orders        integer NOT NULL,
    amount        numeric NOT NULL,
    PRIMARY KEY (connection_id, region, grain, start, currency, buyer_id)
);
CREATE INDEX home_customer_sums_orders ON home_customer_sums
    (connection_id, region, grain, start, currency, orders DESC, buyer_id COLLATE "C");
CREATE INDEX home_customer_sums_amount ON home_customer_sums
    (connection_id, region, grain, start, currency, amount DESC, buyer_id COLLATE "C");

-- The per-day rows become the day blocks; the longer blocks are their sums.
CREATE TEMP TABLE home_grains (grain text, trunc text) ON COMMIT DROP;
INSERT INTO home_grains VALUES ('day', 'day'), ('month', 'month'), ('year', 'year'), ('all', NULL);

INSERT INTO home_product_sums
SELECT d.connection_id, d.region, g.grain,
       COALESCE(date_trunc(g.trunc, d.day)::date, '0001-01-01'), d.currency, s.per_sku,
       d.product_id, CASE WHEN s.per_sku THEN d.sku_id ELSE '' END, max(d.name),
       CASE WHEN s.per_sku THEN max(d.seller_sku) ELSE '' END, sum(d.quantity), sum(d.amount)
FROM home_product_days d CROSS JOIN home_grains g CROSS JOIN (VALUES (true), (false)) AS s(per_sku)
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO home_customer_sums
SELECT d.connection_id, d.region, g.grain,
       COALESCE(date_trunc(g.trunc, d.day)::date, '0001-01-01'), d.currency, d.buyer_id,
       max(d.buyer_name), sum(d.orders), sum(d.amount)
FROM home_customer_days d CROSS JOIN home_grains g
GROUP BY 1, 2, 3, 4, 5, 6;

DROP TABLE home_product_days;
DROP TABLE home_customer_days;
