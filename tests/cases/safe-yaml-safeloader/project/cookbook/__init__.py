"""Recipe book."""
