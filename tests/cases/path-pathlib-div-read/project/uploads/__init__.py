"""User uploads."""
