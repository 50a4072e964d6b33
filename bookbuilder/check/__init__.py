"""check: (to be written)."""
