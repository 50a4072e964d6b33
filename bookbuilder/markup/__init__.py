"""markup: (to be written)."""
