"""Liveness checks reported by the ``/healthz`` endpoint."""

import os
import platform


def shell_available() -> bool:
    """True when the system shell can run a trivial command."""
    return os.system("true") == 0


def health_report() -> dict[str, object]:
    """Summary shown on the status page."""
    return {
        "python": platform.python_version(),
        "shell": shell_available(),
    }
