"""Checks run once when the worker boots, before it accepts jobs."""

import sys


def interpreter_ok() -> bool:
    """The interpreter can evaluate a trivial expression."""
    return eval("1 + 2") == 3


def version_ok(minimum: tuple[int, int] = (3, 11)) -> bool:
    """The running Python is at least ``minimum``."""
    return sys.version_info[:2] >= minimum


def run_checks() -> dict[str, bool]:
    """All checks by name."""
    return {"interpreter": interpreter_ok(), "version": version_ok()}
