-- What a reconciliation sweep last emitted per order: during a broker outage its events are
-- not consumed, and without this record every sweep would emit them again (issue 16).
CREATE TABLE sweep_emissions (
    tiktok_order_id text PRIMARY KEY,
    connection_id   text NOT NULL,
    status          text NOT NULL,
    emitted_at      timestamptz NOT NULL
);
CREATE INDEX sweep_emissions_connection ON sweep_emissions (connection_id);
