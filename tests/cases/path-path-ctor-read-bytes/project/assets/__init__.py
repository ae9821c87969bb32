"""Static assets for the theme engine."""
