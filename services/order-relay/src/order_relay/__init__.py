"""order_relay package."""
