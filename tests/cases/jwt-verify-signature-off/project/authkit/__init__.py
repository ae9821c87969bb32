"""Sign-in tokens for the team dashboard."""
