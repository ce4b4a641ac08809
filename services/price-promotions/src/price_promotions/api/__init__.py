"""price-promotions' merchant API (`/api/v1/pricing`, routed by the gateway)."""
