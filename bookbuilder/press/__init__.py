"""press: (to be written)."""
