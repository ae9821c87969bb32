"""Uptime probe: runs connectivity checks for configured hosts."""
