"""passes: (to be written)."""
