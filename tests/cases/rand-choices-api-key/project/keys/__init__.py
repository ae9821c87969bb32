"""API key management."""
