"""Start-up self checks."""
