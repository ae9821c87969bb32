"""A hostile project's symlinks try to make `fix --apply` write outside it; as root, --apply must not
leave root-owned files in a user's tree. The built-in engine fixes and verifies the bug for real."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests._trees import tree as _tree

from .conftest import run_cli

VULNERABLE = '''\
"""Disk tools."""
import os


def usage(path):
    return os.system("du -sh " + path)
'''
NOBODY = 65534


def _errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.startswith("provenfix: error:")]


@pytest.mark.parametrize("outside_name", ["elsewhere", "proj_evil"])  # proj_evil: root "proj" is its prefix
def test_a_symlinked_tests_folder_gets_nothing_written_through_it(
        hostile_project: Callable[..., Path], tmp_path: Path, outside_name: str) -> None:
    project = hostile_project({"tools/__init__.py": "", "tools/disk.py": VULNERABLE})
    outside = tmp_path / outside_name
    (outside / "security").mkdir(parents=True)
    (outside / "keep.txt").write_text("the attacker's target\n")
    (project / "tests").symlink_to(f"../{outside_name}" if outside_name == "proj_evil" else outside)
    before_outside, before_project = _tree(outside), _tree(project)
    result = run_cli("fix", str(project), "--apply", "--format", "json")
    assert result.returncode == 2, result.stderr[-3000:]
    assert _tree(outside) == before_outside
    assert _tree(project) == before_project  # the patch stays out too: its proof test could not go with it
    errors = _errors(result.stderr)
    symlink = [line for line in errors if "symlink" in line]
    assert len(symlink) == 1 and "tests is a symlink; --apply never writes through one" in symlink[0], errors
    report = json.loads(result.stdout)
    assert report["fixes"][0]["status"] == "verified" and report["applied"] == []


def test_a_symlinked_source_file_is_not_written_through(hostile_project: Callable[..., Path]) -> None:
    """tools/disk.py is a link to shared/disk.py: the real file is fixed under its own name; the link stays
    a link (not replaced by a copy, not written through) and its fix is refused in one line."""
    project = hostile_project({"shared/__init__.py": "", "shared/disk.py": VULNERABLE, "tools/__init__.py": ""})
    (project / "tools" / "disk.py").symlink_to("../shared/disk.py")
    result = run_cli("fix", str(project), "--apply", "--format", "json")
    assert result.returncode == 2, result.stderr[-3000:]
    assert os.readlink(project / "tools" / "disk.py") == "../shared/disk.py"
    errors = _errors(result.stderr)
    assert [line for line in errors if "symlink" in line] == [
        "provenfix: error: not applied: tools/disk.py: is a symlink; --apply never writes through one"]
    report = json.loads(result.stdout)
    assert "shared/disk.py" in report["applied"] and "tools/disk.py" not in report["applied"]
    assert "subprocess.run" in (project / "shared" / "disk.py").read_text()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root: --apply as root in a user's tree")
def test_as_root_apply_keeps_the_users_ownership_and_modes(hostile_project: Callable[..., Path]) -> None:
    project = hostile_project({"tools/__init__.py": "", "tools/disk.py": VULNERABLE})
    for path in [project, *project.rglob("*")]:
        os.chown(path, NOBODY, NOBODY)
    disk = project / "tools" / "disk.py"
    disk.chmod(0o640)
    result = run_cli("fix", str(project), "--apply")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "subprocess.run" in disk.read_text()
    assert (disk.stat().st_uid, disk.stat().st_gid, disk.stat().st_mode & 0o7777) == (NOBODY, NOBODY, 0o640)
    (proof,) = (project / "tests" / "security").glob("test_provenfix_*.py")
    for made in (project / "tests", project / "tests" / "security", proof):
        assert (made.stat().st_uid, made.stat().st_gid) == (NOBODY, NOBODY), made
    assert not [p for p in project.rglob("*") if p.stat(follow_symlinks=False).st_uid != NOBODY]
