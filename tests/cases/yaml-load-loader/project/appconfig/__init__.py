"""Application configuration loading."""
