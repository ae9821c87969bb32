"""User accounts package."""
