"""Small hostile projects, run through the real CLI as a user would run it on a stranger's code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from tests._trees import pyproject


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
        files = {"pyproject.toml": pyproject(name), **files}
        return write_tree(root, files)

    return make


NOBODY = 65534


@pytest.fixture
def public_dir() -> Iterator[Path]:
    """A folder anyone may enter (pytest's tmp_path is 0700), for projects an unprivileged user scans."""
    path = Path(tempfile.mkdtemp(prefix="pf-hostile-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _nobody_python(where: Path) -> str | None:
    """An interpreter with ProvenFix that `nobody` can run: a venv on the system python, seeing our packages."""
    base = "/usr/bin/python3"
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if os.geteuid() != 0 or not os.path.exists(base) or not shutil.which("setpriv"):
        return None
    found = subprocess.run([base, "-c", "import sys; print(f'python{sys.version_info[0]}.{sys.version_info[1]}')"],
                           capture_output=True, text=True, check=False).stdout.strip()
    if found != version:
        return None
    subprocess.run([base, "-m", "venv", "--without-pip", str(where)], check=True, capture_output=True)
    import provenfix
    ours = [p for p in sys.path if p.endswith("site-packages")] + [str(Path(provenfix.__file__).parents[1])]
    (where / "lib" / version / "site-packages" / "ours.pth").write_text("\n".join(ours) + "\n")
    python = str(where / "bin" / "python")
    probe = subprocess.run(["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "env", python, "-c",
                            "import provenfix, pytest"], capture_output=True, check=False)
    return python if probe.returncode == 0 else None


@pytest.fixture(params=["root", "nobody"])
def cli(request: pytest.FixtureRequest, public_dir: Path):
    """Run the CLI as the invoking user, or as `nobody` when the machine allows it."""
    if request.param == "root":
        def as_root(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
            return run_cli(*args, env=env)

        as_root.python = sys.executable  # type: ignore[attr-defined]
        return as_root
    python = _nobody_python(public_dir / "nobody-venv")
    if python is None:
        pytest.skip("no interpreter with ProvenFix that an unprivileged user can run here")

    def as_nobody(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        for path in public_dir.rglob("*"):
            os.lchown(path, NOBODY, NOBODY)
        full = {**os.environ, **(env or {}), "HOME": str(public_dir), "PROVENFIX_CACHE_DIR": str(public_dir / "cache")}
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "env", python, "-m",
                   "provenfix", *args]
        return subprocess.run(command, capture_output=True, text=True, env=full, timeout=600, stdin=subprocess.DEVNULL)

    as_nobody.python = python  # type: ignore[attr-defined]
    return as_nobody
