"""Nightly backup helpers."""
