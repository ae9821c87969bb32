"""CSV report builder."""
