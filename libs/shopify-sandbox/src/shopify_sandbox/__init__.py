"""shopify_sandbox package."""
