"""Web application internals."""
