"""Address book."""
