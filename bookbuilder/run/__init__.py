"""run: (to be written)."""
