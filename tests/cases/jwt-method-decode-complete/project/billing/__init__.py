"""Billing service internals."""
