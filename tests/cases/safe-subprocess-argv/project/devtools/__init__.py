"""Small developer utilities."""
