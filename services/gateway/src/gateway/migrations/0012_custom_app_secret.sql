-- A store connected with its own Shopify custom app's access token (ADR 0612): the custom
-- app's API secret key, sealed, which signs that app's webhooks.
ALTER TABLE connection_secrets ADD COLUMN shopify_webhook_secret text;
