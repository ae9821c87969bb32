"""User accounts kept in memory."""
