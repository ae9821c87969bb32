"""Small statistics over application log files."""
