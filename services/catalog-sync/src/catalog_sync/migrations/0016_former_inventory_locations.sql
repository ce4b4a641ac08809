-- inventory-guard owns the inventory-location setting (issue 9, ADR 0360): catalog-sync's own
-- (the connection's location for stock at pull/push, and Global Products' location per market)
-- move here, are handed over to the guard once as inventory.location.handed_over, and go.
CREATE TABLE former_inventory_locations (
    id             bigserial PRIMARY KEY,
    connection_id  text NOT NULL,
    tiktok_shop_id text,  -- NULL: the connection's default region
    region         text,  -- a market code (Global Products' setting)
    location_id    text NOT NULL
);
INSERT INTO former_inventory_locations (connection_id, location_id)
    SELECT connection_id, inventory_location_id FROM catalog_settings
    WHERE inventory_location_id IS NOT NULL AND inventory_location_id <> '';
INSERT INTO former_inventory_locations (connection_id, region, location_id)
    SELECT s.connection_id, upper(l.key), l.value
    FROM catalog_settings s, jsonb_each_text(s.region_locations) l
    WHERE l.value <> '' ORDER BY s.connection_id, upper(l.key);
ALTER TABLE catalog_settings DROP COLUMN inventory_location_id;
ALTER TABLE catalog_settings DROP COLUMN region_locations;
