"""The one exceptions module: every error a user can cause has a class here and a one-line message."""


class ProvenFixError(Exception):
    """Base class; ``str(exc)`` is the one line the CLI prints."""


class UsageError(ProvenFixError):
    """Bad paths or flags: the CLI exits 2."""


class ApplyError(ProvenFixError):
    """A verified patch could not be written (the file changed since it was read, a write failed)."""
