"""shopify package."""
