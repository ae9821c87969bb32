"""Server inventory for the ops tooling."""
