"""Look up running processes by name, the way operators do it by hand."""

import subprocess


def find_processes(name: str) -> list[str]:
    """``ps auxww`` lines mentioning ``name`` (the grep itself excluded)."""
    result = subprocess.run(
        "ps auxww | grep " + name, shell=True, capture_output=True, text=True
    )
    return [line for line in result.stdout.splitlines() if "grep" not in line]


def pids(lines: list[str]) -> list[int]:
    """Process ids from ``ps aux`` lines (second column)."""
    return [int(line.split()[1]) for line in lines if line.strip()]


def is_running(name: str) -> bool:
    """True when at least one process mentions ``name``."""
    return bool(find_processes(name))
