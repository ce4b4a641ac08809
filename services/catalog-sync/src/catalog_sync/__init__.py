"""catalog_sync package."""
