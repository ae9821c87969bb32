"""Warehouse inventory and order handling."""
