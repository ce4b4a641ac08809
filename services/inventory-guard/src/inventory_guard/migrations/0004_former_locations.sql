-- The inventory-location setting's one owner (issue 9, ADR 0360): catalog-sync and order-relay
-- hand their former settings over (inventory.location.handed_over).
-- Connections that had a location card before the hand-over: the other services already read
-- the guard's setting for them, so their former settings were not in effect and are not adopted.
CREATE TABLE location_card_before_handover (connection_id text PRIMARY KEY);
INSERT INTO location_card_before_handover SELECT connection_id FROM location_revisions;
-- Regions a former setting was adopted for: the first one handed over wins.
CREATE TABLE adopted_locations (
    connection_id  text        NOT NULL,
    tiktok_shop_id text        NOT NULL,
    location_id    text        NOT NULL,
    source         text        NOT NULL,
    adopted_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connection_id, tiktok_shop_id)
);
