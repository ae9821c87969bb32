"""Usage metrics for the admin dashboard."""
