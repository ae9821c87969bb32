"""Firewall configuration helpers."""
