-- A Shopify fulfilment id is only known unique within its shop (the Shopify sandbox numbers
-- them per shop), so a shipment is identified by the TikTok order and the fulfilment.
ALTER TABLE shipments DROP CONSTRAINT shipments_pkey;
ALTER TABLE shipments ADD PRIMARY KEY (tiktok_order_id, fulfillment_id);
