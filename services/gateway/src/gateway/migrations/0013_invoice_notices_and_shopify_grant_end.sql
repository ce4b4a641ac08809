-- Issue 12's last notifications (docs/adr/0842, 0843). Packages of Brazil orders waiting for an
-- invoice, gathered per connection into one digest (an `invoice-digest` work item due at the
-- end of the window), never one mail per package.
CREATE TABLE notification_invoice_entries (
    connection_id   text        NOT NULL,
    tiktok_order_id text        NOT NULL,
    package_id      text        NOT NULL,
    region          text,
    noted_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_order_id, package_id)
);

-- When a Shopify expiring offline token's refresh token ends (`refresh_token_expires_in`):
-- after it the merchant must install the app again, so the gateway reminds them ahead.
ALTER TABLE connection_secrets ADD COLUMN shopify_refresh_expires_at timestamptz;
