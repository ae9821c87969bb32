"""Document sharing service."""
