"""source: (to be written)."""
