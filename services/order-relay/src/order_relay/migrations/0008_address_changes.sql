-- A buyer's address change on TikTok (webhook 3) the merchant must know about: after
-- fulfilment (not applied), or applied with a caveat. Shown on the order.
ALTER TABLE orders ADD COLUMN address_notice text;
ALTER TABLE orders ADD COLUMN address_changed_at timestamptz;
