"""epub: (to be written)."""
