"""Directory listings through the system ``ls``, for the support bundle."""

import subprocess


def long_listing(path: str) -> str:
    """Return the output of ``ls -l`` for ``path``."""
    result = subprocess.run(["ls", "-l", path], capture_output=True, text=True, check=True)
    return result.stdout


def listed_names(path: str) -> list[str]:
    """File names from a long listing (last column), skipping the total line."""
    names = []
    for line in long_listing(path).splitlines():
        if line.startswith("total"):
            continue
        names.append(line.split()[-1])
    return names
