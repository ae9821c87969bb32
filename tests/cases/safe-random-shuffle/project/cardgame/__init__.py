"""A simple card game."""
