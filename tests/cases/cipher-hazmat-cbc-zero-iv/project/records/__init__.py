"""Patient records storage."""
