"""Helpers for Kubernetes-style multi-document YAML bundles."""
