"""Deployment manifests."""
