"""Command lines used by the uptime probe.

Kept apart from the runner so they can be tweaked per platform.  The probe
runs in dry-run mode on CI, where the commands are only echoed.
"""

PROBE_PREFIX = "echo ping "


def build_cmd(host):
    """Command that probes ``host``."""
    return PROBE_PREFIX + host


def describe(host: str) -> str:
    """Human-readable label for a probe."""
    return f"probe of {host}"
