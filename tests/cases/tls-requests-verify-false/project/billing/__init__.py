"""Client for the billing provider's REST API."""
