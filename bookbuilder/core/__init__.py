"""core: (to be written)."""
