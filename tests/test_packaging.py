"""`pip install provenfix` from the built wheel, in a clean venv: the installed copy runs on its own.

The wheel is built from a copy of the source (building writes `build/` beside the sources), the venv
has no pip and no site-packages of ours (pip installs into it from outside, dependencies from the
index), so nothing of the working tree can stand in for what the wheel lacks.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests._trees import tree

REPO = Path(__file__).parents[1]
CASE = REPO / "tests" / "cases" / "cmdi-os-system-concat" / "project"


def sh(*argv: str | Path, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for path in (REPO / "pyproject.toml", REPO / "README.md", *REPO.glob("LICEN[CS]E*")):  # what pyproject names
        shutil.copy(path, source / path.name)
    out = tmp_path_factory.mktemp("dist")
    # The build backend from this venv when it has one (quicker), else pip fetches it (3.12+ venvs lack it).
    isolation = ["--no-build-isolation"] if importlib.util.find_spec("setuptools") else []
    built = sh(sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w", out, source)
    assert built.returncode == 0, built.stderr[-3000:]
    (whl,) = out.glob("provenfix-*.whl")
    return whl


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The venv's bin folder, with only the wheel and its dependencies installed."""
    venv = tmp_path_factory.mktemp("venv") / "clean"
    assert sh(sys.executable, "-m", "venv", "--without-pip", venv).returncode == 0
    done = sh(sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "-q", "--no-compile", wheel)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin"


def test_the_wheel_holds_every_file_of_the_package_and_one_version(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "src" / "provenfix"
    shipped = {f"provenfix/{p.relative_to(package).as_posix()}" for p in package.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    assert "provenfix/knowledge/rules.toml" in shipped and not shipped - names, sorted(shipped - names)
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert wheel.name.startswith(f"provenfix-{version}-py3-none-any")
    entry_points = zipfile.ZipFile(wheel).read(f"provenfix-{version}.dist-info/entry_points.txt").decode()
    assert "provenfix = provenfix.cli:main" in entry_points  # what `pipx run provenfix` starts


def test_the_installed_copy_runs_scan_and_fix_on_its_own(installed: Path, tmp_path: Path) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    shown = sh(installed / "provenfix", "--version", env=clean_env, cwd=tmp_path)
    assert (shown.returncode, shown.stdout) == (0, f"{version}\n"), shown.stderr

    project = tmp_path / "project"
    shutil.copytree(CASE, project)
    scanned = sh(installed / "provenfix", "scan", "--no-cache", project, env=clean_env, cwd=tmp_path)
    assert scanned.returncode == 1 and "PF-CMD" in scanned.stdout, scanned.stdout + scanned.stderr
    # The sandbox's own files and the knowledge base come from the wheel; the project's tests need pytest,
    # which the clean venv lacks: they run with this interpreter (--python).
    before = tree(project)
    fixed = sh(installed / "python", "-m", "provenfix", "fix", "-q", "--python", sys.executable, project,
               env=clean_env, cwd=tmp_path)
    assert fixed.returncode == 0 and "[VERIFIED]" in fixed.stdout, fixed.stdout[-3000:] + fixed.stderr[-3000:]
    assert tree(project) == before
