"""A client for the reporting API."""
