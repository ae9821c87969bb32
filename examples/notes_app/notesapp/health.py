"""Connectivity check used by the status page ("can the server reach X?")."""

from __future__ import annotations

import subprocess
import time

PING_TIMEOUT_SECONDS = 5


def check_host(host: str) -> dict:
    """Ping ``host`` once; report whether it answered and how long it took."""
    started = time.monotonic()
    try:
        result = subprocess.run(
            f"ping -c 1 -W 1 {host}",
            shell=True,
            capture_output=True,
            text=True,
            timeout=PING_TIMEOUT_SECONDS,
        )
        reachable = result.returncode == 0
    except (OSError, subprocess.SubprocessError):
        reachable = False
    elapsed_ms = round((time.monotonic() - started) * 1000)
    return {"host": host, "reachable": reachable, "elapsed_ms": elapsed_ms}
