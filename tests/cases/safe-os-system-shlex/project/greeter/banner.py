"""Print greetings through the shell (legacy code kept for the login banner)."""

import os
import shlex


def greet(name: str) -> int:
    """Echo ``name`` on the terminal; return the shell's exit status."""
    return os.system("echo " + shlex.quote(name))


def greet_all(names: list[str]) -> list[int]:
    """Greet several people in order."""
    return [greet(name) for name in names]
