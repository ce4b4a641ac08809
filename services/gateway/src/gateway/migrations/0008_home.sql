-- The Home dashboard's read model (issue 14, docs/adr/0910): fed by order-relay's outcome
-- events. `home_orders` holds each order's merged facts (and is the CSV's source); the
-- `home_*_days` tables hold sums per connection, region and day, so a period's figures sum
-- days, never orders. Amounts are numeric per currency; currencies are never added together.
CREATE TABLE home_orders (
    connection_id    text NOT NULL,
    tiktok_order_id  text NOT NULL,
    region           text,
    day              date,
    bucket           text,
    shopify_order_id text,
    facts            jsonb NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_order_id)
);
CREATE INDEX home_orders_period ON home_orders (connection_id, region, day);
CREATE INDEX home_orders_shopify ON home_orders (shopify_order_id);
-- The buyer id lives in `facts`; redaction finds a buyer's orders by it.
CREATE INDEX home_orders_buyer ON home_orders (connection_id, (facts->'sale'->>'buyer_id'));

CREATE TABLE home_count_days (
    connection_id text    NOT NULL,
    region        text    NOT NULL,
    day           date    NOT NULL,
    bucket        text    NOT NULL,
    orders        integer NOT NULL,
    PRIMARY KEY (connection_id, region, day, bucket)
);

CREATE TABLE home_revenue_days (
    connection_id text    NOT NULL,
    region        text    NOT NULL,
    day           date    NOT NULL,
    currency      text    NOT NULL,
    amount        numeric NOT NULL,
    orders        integer NOT NULL,
    PRIMARY KEY (connection_id, region, day, currency)
);

CREATE TABLE home_product_days (
    connection_id text    NOT NULL,
    region        text    NOT NULL,
    day           date    NOT NULL,
    currency      text    NOT NULL,
    product_id    text    NOT NULL,
    sku_id        text    NOT NULL,
    name          text    NOT NULL,
    seller_sku    text    NOT NULL,
    quantity      integer NOT NULL,
    amount        numeric NOT NULL,
    PRIMARY KEY (connection_id, region, day, currency, product_id, sku_id)
);

-- Only TikTok's buyer id and the masked name TikTok gives; rows go when a redaction empties them.
CREATE TABLE home_customer_days (
    connection_id text    NOT NULL,
    region        text    NOT NULL,
    day           date    NOT NULL,
    currency      text    NOT NULL,
    buyer_id      text    NOT NULL,
    buyer_name    text,
    orders        integer NOT NULL,
    amount        numeric NOT NULL,
    PRIMARY KEY (connection_id, region, day, currency, buyer_id)
);
CREATE INDEX home_customer_days_buyer ON home_customer_days (connection_id, buyer_id);
