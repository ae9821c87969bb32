"""ProvenFix: find security bugs in Python code, fix them, explain why, and prove each fix."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("provenfix")  # the one source is pyproject.toml's `version`
except PackageNotFoundError:  # a source tree on sys.path without being installed
    __version__ = "0+unknown"
