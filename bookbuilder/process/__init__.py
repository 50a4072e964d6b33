"""process: (to be written)."""
