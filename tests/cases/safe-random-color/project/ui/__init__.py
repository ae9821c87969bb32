"""User-interface helpers."""
