"""Deployment tooling."""
