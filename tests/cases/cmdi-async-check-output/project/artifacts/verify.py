"""Verify downloaded release artifacts against published SHA-256 sums.

The download manager is asyncio based, so these helpers are coroutines.
"""

import asyncio
import subprocess


async def checksum(path: str) -> str:
    """Hex SHA-256 digest of the file at ``path`` (via ``sha256sum``)."""
    out = subprocess.check_output("sha256sum " + path, shell=True, text=True)
    return out.split()[0]


async def verify(path: str, expected: str) -> bool:
    """True when the file's digest equals ``expected`` (case-insensitive)."""
    return (await checksum(path)) == expected.strip().lower()


async def verify_all(expected_by_path: dict[str, str]) -> dict[str, bool]:
    """Verify several files concurrently."""
    paths = list(expected_by_path)
    results = await asyncio.gather(*(verify(p, expected_by_path[p]) for p in paths))
    return dict(zip(paths, results))
