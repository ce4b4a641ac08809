-- What order-relay held about a customer when the shop asked (Shopify customers/data_request),
-- kept for the store owner to read and hand over.
CREATE TABLE privacy_reports (
    data_request_id     text PRIMARY KEY,
    shopify_shop_domain text        NOT NULL,
    shopify_customer_id text        NOT NULL,
    report              jsonb       NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX privacy_reports_by_shop ON privacy_reports (shopify_shop_domain);
