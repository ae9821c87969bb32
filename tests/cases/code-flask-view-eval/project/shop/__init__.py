"""Demo shop API."""
