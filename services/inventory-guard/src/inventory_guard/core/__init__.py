"""inventory-guard's pure rules: the quantity TikTok gets, and the low-inventory policy."""
