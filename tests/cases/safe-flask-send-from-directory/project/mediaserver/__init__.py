"""Media file server."""
