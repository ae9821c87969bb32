"""Tiny throw-away projects for the verifier's tests, and ways to look at the host after a run."""

from __future__ import annotations

import hashlib
import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from provenfix.verify.sandbox import isolation_level

PYTHON = sys.executable


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    def make(files: dict[str, str], name: str = "project") -> Path:
        return write_tree(tmp_path / name, files)

    return make


def tree_digest(root: Path) -> str:
    """Paths, modes and contents of everything under root."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        digest.update(f"{path.relative_to(root)}|{st.st_mode}|{st.st_uid}".encode())
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def processes_with_env(tag: str) -> list[int]:
    """Pids of live processes whose environment holds ``tag`` (zombies have none)."""
    found = []
    needle = tag.encode()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/environ", "rb") as f:
                if needle in f.read():
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture(scope="session")
def isolation() -> str:
    return isolation_level(PYTHON)


@pytest.fixture
def needs_namespace(isolation: str) -> None:
    if "no network" not in isolation:
        pytest.skip(f"no namespace isolation on this host: {isolation}")
