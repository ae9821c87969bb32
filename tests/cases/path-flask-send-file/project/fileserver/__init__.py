"""A tiny intranet file server."""
