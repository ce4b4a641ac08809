-- inventory-guard owns the inventory-location setting (issue 9, ADR 0360): the relay's own
-- (per region: the location checked for stock and restocked) moves here, is handed over to
-- the guard once as inventory.location.handed_over, and leaves the order settings.
CREATE TABLE former_inventory_locations (
    id             bigserial PRIMARY KEY,
    connection_id  text NOT NULL,
    tiktok_shop_id text,  -- NULL: saved before the connection had a shop (its default region)
    region         text,
    location_id    text NOT NULL
);
INSERT INTO former_inventory_locations (connection_id, tiktok_shop_id, location_id)
    SELECT connection_id, NULLIF(tiktok_shop_id, ''), settings->>'inventory_location_id'
    FROM order_settings WHERE COALESCE(settings->>'inventory_location_id', '') <> ''
    ORDER BY connection_id, tiktok_shop_id;
UPDATE order_settings SET settings = settings - 'inventory_location_id'
    WHERE settings ? 'inventory_location_id';
