"""The merchant API for the catalog (served under /api/v1/catalog, proxied by the gateway)."""
