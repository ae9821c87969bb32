"""ProvenFix: find security bugs in Python code, fix them, explain why, and prove each fix."""

__version__ = "0.1.0"
