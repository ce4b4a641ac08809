"""order-relay's merchant API (served under /api/v1, reached through the gateway)."""
