"""Batch job definitions submitted by users."""
