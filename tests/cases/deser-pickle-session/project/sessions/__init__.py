"""Sessions kept in a cookie."""
