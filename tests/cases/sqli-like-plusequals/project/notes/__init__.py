"""Shared notebook: public and private notes."""
