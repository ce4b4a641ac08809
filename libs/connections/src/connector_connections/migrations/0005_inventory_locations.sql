-- Replica of inventory-guard's inventory-location card (ADR 0023): the whole card, newest revision.
CREATE TABLE IF NOT EXISTS inventory_locations (
    connection_id text   PRIMARY KEY,
    card          jsonb  NOT NULL,
    revision      bigint NOT NULL
);
