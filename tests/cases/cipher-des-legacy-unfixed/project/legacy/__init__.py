"""Legacy configuration support."""
