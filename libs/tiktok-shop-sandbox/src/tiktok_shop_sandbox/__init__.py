"""tiktok_shop_sandbox package."""
