"""Helpers that prepare build workspaces for the CI runner."""
