"""price_promotions package."""
