"""Pure catalog rules: mapping, priorities, sync rules, pre-checks, CSV rows (no I/O)."""
