"""Pure gateway rules: translating platform webhooks into contracts."""
