"""Small hostile projects, run through the real CLI as a user would run it on a stranger's code."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def run_cli(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None,
            timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m provenfix ARGS` in a real process; ``env`` is added to this process's environment."""
    full = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "provenfix", *args], capture_output=True, text=True, cwd=cwd,
                          env=full, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture
def hostile_project(tmp_path: Path) -> Callable[..., Path]:
    """``hostile_project({"app.py": ..., "conftest.py": ...})``: a project folder with a pyproject.toml."""

    def make(files: Mapping[str, str], name: str = "proj") -> Path:
        root = tmp_path / name
        files = {"pyproject.toml": f'[project]\nname = "{name}"\nversion = "0"\n', **files}
        return write_tree(root, files)

    return make
