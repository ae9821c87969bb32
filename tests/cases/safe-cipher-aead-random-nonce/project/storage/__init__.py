"""Encrypted blob storage."""
