"""Pure order rules: no I/O, no framework imports."""
