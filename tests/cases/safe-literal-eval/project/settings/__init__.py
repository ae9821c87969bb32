"""User-editable settings."""
