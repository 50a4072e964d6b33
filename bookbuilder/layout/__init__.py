"""layout: (to be written)."""
