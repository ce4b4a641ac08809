"""Pure pricing rules: price rules, pricing modes, the activity renewal schedule."""
