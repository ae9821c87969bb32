"""Software licence keys."""
