"""Disk usage monitoring for upload directories."""
