"""A minimal blog engine."""
