"""Release artifact verification."""
