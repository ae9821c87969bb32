"""Product manuals."""
