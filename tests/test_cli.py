"""The CLI as a user runs it: a real `python -m provenfix` process, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests._trees import pyproject

VULNERABLE = '''"""Disk tools."""
import os


def usage(path):
    return os.system("du -sh " + path)
'''


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "provenfix", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "tools").mkdir(parents=True)
    (root / "pyproject.toml").write_text(pyproject("proj"))
    (root / "tools" / "__init__.py").write_text("")
    (root / "tools" / "disk.py").write_text(VULNERABLE)
    (root / "tools" / "clean.py").write_text('"""Nothing to see."""\n\n\ndef add(a, b):\n    return a + b\n')
    return root


def test_scan_exit_codes_and_json(project: Path) -> None:
    found = run("scan", str(project), "--format", "json")
    assert found.returncode == 1, found.stderr
    report = json.loads(found.stdout)
    assert report["schema_version"] and report["tool"]["name"] == "provenfix"
    assert [f["rule_id"] for f in report["findings"]] == ["PF-CMD"]
    clean = run("scan", str(project / "tools" / "clean.py"))
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_scan_sarif_to_file(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sarif"
    result = run("scan", str(project), "--format", "sarif", "--output", str(out))
    assert result.returncode == 1
    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"][0]["ruleId"] == "PF-CMD"


def test_fix_single_file_verifies_and_does_not_write(project: Path) -> None:
    before = (project / "tools" / "disk.py").read_bytes()
    result = run("fix", str(project / "tools" / "disk.py"), "--format", "json")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads(result.stdout)
    (fix,) = report["fixes"]
    assert fix["status"] == "verified"
    assert "subprocess.run" in fix["patch"] and fix["proof_test"]["code"]
    assert fix["evidence"]["proof_before"]["outcome"] == "failed-assertion"
    assert fix["evidence"]["proof_after"]["outcome"] == "passed"
    assert (project / "tools" / "disk.py").read_bytes() == before
    assert not (project / "tests").exists()
    progress = [ln for ln in result.stderr.splitlines() if ln.startswith("provenfix: ")]
    assert any("baseline" in ln for ln in progress) and any("verifying PF-CMD" in ln for ln in progress), result.stderr


def test_fix_apply_writes_patch_and_proof_test(project: Path) -> None:
    result = run("fix", str(project), "--apply")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "subprocess.run" in (project / "tools" / "disk.py").read_text()
    (proof,) = (project / "tests" / "security").glob("test_provenfix_*.py")
    assert "def test_" in proof.read_text()
    again = run("scan", str(project))
    assert again.returncode == 0, again.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "/no/such/path"], "no such file or directory"),
        (["scan", "{readme}"], "not a Python file"),
        (["scan", "--bogus", "."], "No such option"),
        (["fix", ".", "--format", "pdf"], "pdf"),
        (["scan", ".", "--entry", "everything"], "entry must be 'entry-points' or 'public-api'"),
    ],
)
def test_usage_errors_exit_2_with_one_line(project: Path, args: list[str], message: str) -> None:
    (project / "README.md").write_text("hi")
    args = [a.replace("{readme}", str(project / "README.md")) for a in args]
    result = run(*args, cwd=project)
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_bad_files_are_skipped_with_one_line_each(project: Path, tmp_path: Path) -> None:
    tools = project / "tools"
    (tools / "broken.py").write_text("def f(:\n")
    (tools / "latin.py").write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    (tools / "blob.py").write_bytes(b"\x00\x01\x02binary")
    (tools / "huge.py").write_text("X = 1\n" * 400_000)
    outside = tmp_path / "outside.py"
    outside.write_text("import os\nos.system('rm ' + input())\n")
    (tools / "escape.py").symlink_to(outside)
    (tools / "loop.py").symlink_to(tools / "loop.py")
    result = run("scan", str(project))
    assert result.returncode == 1
    warnings = [ln for ln in result.stderr.splitlines() if "warning" in ln]
    joined = "\n".join(warnings)
    for name, why in [("broken.py", "syntax error"), ("latin.py", "not UTF-8"), ("blob.py", "binary"),
                      ("huge.py", "too large"), ("escape.py", "outside the project"), ("loop.py", "looping")]:
        assert any(name in w and why in w for w in warnings), (name, joined)
    assert "disk.py" in result.stdout


def test_a_file_name_cannot_break_a_message_into_lines(project: Path) -> None:
    (project / "tools" / "evil\nprovenfix: error: forged.py").write_text("def f(:\n")
    result = run("scan", str(project))
    assert result.returncode == 1
    warnings = [ln for ln in result.stderr.splitlines() if "forged" in ln]
    assert warnings == ["provenfix: warning: tools/evil\\nprovenfix: error: forged.py: skipped, syntax error at line 1: invalid syntax"], result.stderr
