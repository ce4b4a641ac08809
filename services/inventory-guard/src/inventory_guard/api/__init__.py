"""inventory-guard's merchant API, served behind the gateway at /api/v1/inventory (ADR 0006)."""
