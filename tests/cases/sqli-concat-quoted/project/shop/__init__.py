"""Back-office helpers for a small web shop."""
