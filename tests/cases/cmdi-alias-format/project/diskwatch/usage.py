"""Measure directory sizes with ``du`` and compare them with quotas."""

from subprocess import run as sh

QUOTA_KB = 10_240


def disk_usage_kb(path: str) -> int:
    """Size of ``path`` in kilobytes as reported by ``du -sk``."""
    proc = sh("du -sk {}".format(path), shell=True, capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout:
        raise FileNotFoundError(path)
    return int(proc.stdout.split()[0])


def over_quota(path: str, quota_kb: int = QUOTA_KB) -> bool:
    """True when ``path`` uses more than ``quota_kb`` kilobytes."""
    return disk_usage_kb(path) > quota_kb


def usage_report(paths: list[str]) -> dict[str, int]:
    """Map each path to its size in kilobytes."""
    return {p: disk_usage_kb(p) for p in paths}
