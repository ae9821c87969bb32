"""Remember-me tokens for the web front end."""
