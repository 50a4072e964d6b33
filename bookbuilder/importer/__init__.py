"""importer: (to be written)."""
