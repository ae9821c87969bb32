"""A folder's whole content, for asserting that a run changed nothing (or exactly what it should)."""

from __future__ import annotations

import os
from pathlib import Path


LIBRARY_CONFIG = '\n[tool.provenfix]\n# A library: its public functions take whatever a caller hands them.\nentry = "public-api"\n'


def pyproject(name: str) -> str:
    """The pyproject.toml of a small library project named `name`."""
    return f'[project]\nname = "{name}"\nversion = "0"\n' + LIBRARY_CONFIG


def tree(top: Path) -> dict[str, bytes | str]:
    """Every entry under `top`: a file's bytes, a symlink's target, or "dir"."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(top).as_posix()
            out[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else "dir" if path.is_dir() else path.read_bytes()
    return out
