"""Tiny HTTP client configuration layer."""
