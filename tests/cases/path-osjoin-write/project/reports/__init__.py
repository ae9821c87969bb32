"""Reporting: CSV exports for the accounting team."""
