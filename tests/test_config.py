"""`[tool.provenfix]`: `provenfix init` writes every key the code reads, and unknown keys are named once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from provenfix import config
from provenfix.detect import Scope
from provenfix.workspace import _test_command

SRC = Path(config.__file__).parent


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "provenfix", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_init_creates_a_pyproject_whose_section_changes_nothing(tmp_path: Path) -> None:
    done = run("init", cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == "provenfix: [tool.provenfix] added to pyproject.toml\n", done.stderr
    text = (tmp_path / "pyproject.toml").read_text()
    assert tomllib.loads(text) == {"tool": {"provenfix": {}}}  # every key commented out: the defaults hold
    for key in config.KEYS:
        assert f"# {key.name} = {key.default}\n" in text
    # Uncommented, each written default means what leaving the key out means.
    defaults = tomllib.loads(re.sub(r"(?m)^# (?=[a-z-]+ = )", "", text))["tool"]["provenfix"]
    assert set(defaults) == {k.name for k in config.KEYS}
    assert Scope.from_config(defaults) == Scope.from_config({})
    assert _test_command(defaults) == _test_command({})
    assert defaults["models"] == [] and defaults["allow-remote"] is True


def test_init_appends_to_an_existing_pyproject_and_keeps_it_byte_for_byte(tmp_path: Path) -> None:
    before = b'[project]\r\nname = "app"\r\n\r\n[tool.ruff]\r\nline-length = 100\r\n'
    (tmp_path / "pyproject.toml").write_bytes(before)
    os.chmod(tmp_path / "pyproject.toml", 0o640)
    assert run("init", str(tmp_path)).returncode == 0
    after = (tmp_path / "pyproject.toml").read_bytes()
    assert after.startswith(before) and b"\n[tool.provenfix]\n" in after
    assert tomllib.loads(after.decode())["tool"]["ruff"] == {"line-length": 100}
    assert (tmp_path / "pyproject.toml").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]  # no temporary left


@pytest.mark.parametrize("existing", ['[tool.provenfix]\nentry = "public-api"\n', "[tool]\nprovenfix.entry = 1\n",
                                      "[project\nname = 1\n"])
def test_init_refuses_in_one_line_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    (tmp_path / "pyproject.toml").write_text(existing)
    done = run("init", str(tmp_path))
    assert done.returncode == 2 and done.stdout == "" and len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("provenfix: error: ") and "nothing written" in done.stderr
    assert (tmp_path / "pyproject.toml").read_text() == existing


def test_init_never_writes_through_a_symlink(tmp_path: Path) -> None:
    """A repository's pyproject.toml that links elsewhere must not turn init into a write there."""
    outside = tmp_path / "outside.toml"
    outside.write_text("[project]\nname = 'victim'\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").symlink_to(outside)
    done = run("init", str(project))
    assert done.returncode == 2 and "symlink" in done.stderr and len(done.stderr.splitlines()) == 1, done.stderr
    assert outside.read_text() == "[project]\nname = 'victim'\n"
    assert (project / "pyproject.toml").is_symlink()


def test_unknown_keys_are_named_once_each_with_their_controls_escaped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.provenfix]\nentyr = "public-api"\n"x\\u001b]0;pwned\\u0007" = 1\nprices = {}\n')
    (tmp_path / "app.py").write_text("x = 1\n")
    done = run("scan", str(tmp_path))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "warning" in line]
    assert warnings == ["provenfix: warning: unknown key [tool.provenfix] entyr (ignored; did you mean entry?)",
                        "provenfix: warning: unknown key [tool.provenfix] x\\x1b]0;pwned\\x07 (ignored)"], done.stderr
    assert "\x1b" not in done.stderr + done.stdout  # prices: known, only your own config may set it


def test_a_section_that_is_not_a_table_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("tool = 3\n")
    (tmp_path / "app.py").write_text("x = 1\n")
    assert run("scan", str(tmp_path)).returncode == 0
    (tmp_path / "pyproject.toml").write_text("[tool]\nprovenfix = 3\n")
    done = run("scan", str(tmp_path))
    assert done.returncode == 0 and "provenfix: warning: [tool.provenfix] in pyproject.toml is not a table (ignored)" in done.stderr
    listed = run("models", "--project", str(tmp_path))  # reads the section's models: the same section, ignored
    assert "Traceback" not in listed.stderr and "no model configured" in listed.stdout + listed.stderr, listed.stderr


def test_keys_list_every_key_the_code_reads() -> None:
    """The one list must not drift: every `[tool.provenfix]` read in the code is a key init writes."""
    reads = {
        "detect.py": r'config\.get\("([\w-]+)"',
        "workspace.py": r'config\.get\("([\w-]+)"',
        "llm/configure.py": r'project\.get\("([\w-]+)"',
    }
    found = {key for path, pattern in reads.items() for key in re.findall(pattern, (SRC / path).read_text())}
    assert found == {k.name for k in config.KEYS}
