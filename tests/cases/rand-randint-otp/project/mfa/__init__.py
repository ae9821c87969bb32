"""Multi-factor authentication by e-mailed one-time codes."""
