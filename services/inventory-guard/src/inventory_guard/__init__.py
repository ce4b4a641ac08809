"""inventory_guard package."""
