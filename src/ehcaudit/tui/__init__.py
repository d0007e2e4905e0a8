"""The terminal app: a thin layer over the core."""
