"""The pre-commit hooks as a defender meets them: the real `pre-commit` clones this repository's hooks
from a git repository, installs them with pip into its own environment, and runs them on the staged
files of a temporary project, through `git commit` itself where it matters."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from provenfix import api
from provenfix.baseline import Baseline, write
from tests._trees import tree

ROOT = Path(__file__).resolve().parents[1]
VULNERABLE = 'import os\n\n\ndef usage(path):\n    return os.system("du -sh " + path)\n'
PYPROJECT = '[project]\nname = "app"\nversion = "0"\n\n[tool.provenfix]\nentry = "public-api"\n'


@dataclass(frozen=True)
class Hooks:
    repo: Path
    rev: str
    env: dict[str, str]


def run(*args: str, cwd: Path, env: dict[str, str], check: bool = False) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=240)
    assert not check or result.returncode == 0, result.stdout + result.stderr
    return result


def pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run(sys.executable, "-m", "pre_commit", *args, "--color", "never", cwd=cwd, env=env)


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> Hooks:
    """This working tree as pre-commit fetches it: a git repository holding the package and the hook
    manifest. One pre-commit home for the module, so the hook environment is installed once."""
    top = tmp_path_factory.mktemp("precommit")
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",  # not the developer's hooks or signing
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        "PRE_COMMIT_HOME": str(top / "pre-commit-home"),
        # pip installs ProvenFix from the hook repository as pre-commit does; its dependencies come from
        # this interpreter's site-packages instead of PyPI, which would add ~50 s (pip on the built wheel
        # with its dependencies is the packaging tests' job).
        "PIP_NO_DEPS": "1",
        "PYTHONPATH": sysconfig.get_paths()["purelib"],
    }
    repo = top / "provenfix"
    repo.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    shutil.copytree(ROOT / "src", repo / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    run("git", "init", "-q", cwd=repo, env=env, check=True)
    run("git", "add", "-A", cwd=repo, env=env, check=True)
    run("git", "commit", "-qm", "hooks", cwd=repo, env=env, check=True)
    rev = run("git", "rev-parse", "HEAD", cwd=repo, env=env, check=True).stdout.strip()
    return Hooks(repo, rev, env)


def project(root: Path, hooks: Hooks, *hook_entries: dict) -> Path:
    """A git repository with a first commit and a .pre-commit-config.yaml (JSON is YAML) using `hook_entries`."""
    root.mkdir()
    (root / "app").mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT)
    (root / "app" / "__init__.py").write_text("")
    config = {"repos": [{"repo": str(hooks.repo), "rev": hooks.rev, "hooks": list(hook_entries)}]}
    (root / ".pre-commit-config.yaml").write_text(json.dumps(config, indent=1))
    run("git", "init", "-q", cwd=root, env=hooks.env, check=True)
    run("git", "add", "-A", cwd=root, env=hooks.env, check=True)
    run("git", "commit", "-qm", "start", "--no-verify", cwd=root, env=hooks.env, check=True)
    return root


def worktree(root: Path) -> dict[str, bytes | str]:
    """The project's files, without git's own (pre-commit refreshes the index)."""
    return {k: v for k, v in tree(root).items() if k != ".git" and not k.startswith(".git/")}


def stage(root: Path, hooks: Hooks, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    run("git", "add", "--", *files, cwd=root, env=hooks.env, check=True)


def test_hook_blocks_a_commit_with_a_finding_in_staged_files(hooks: Hooks, tmp_path: Path) -> None:
    root = project(tmp_path / "app", hooks, {"id": "provenfix"})
    install = pre_commit("install", cwd=root, env=hooks.env)
    assert install.returncode == 0, install.stderr
    # Two vulnerable files in different folders and a clean one: one scan of the one project.
    stage(root, hooks, {"app/disk.py": VULNERABLE, "app/net/ping.py": VULNERABLE.replace("du -sh", "ping -c1"),
                        "app/clean.py": "def add(a, b):\n    return a + b\n"})
    blocked = run("git", "commit", "-m", "add tools", cwd=root, env=hooks.env)
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    out = blocked.stdout + blocked.stderr
    assert "provenfix (security scan)" in out and "Failed" in out
    assert "app/disk.py:5 (usage)" in out and "app/net/ping.py:5 (usage)" in out and "2 findings" in out, out
    assert run("git", "rev-list", "--count", "HEAD", cwd=root, env=hooks.env).stdout.strip() == "1"  # not committed
    # What ran is ProvenFix as pip installed it from the hook repository into pre-commit's environment.
    assert list(Path(hooks.env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*/lib/python*/site-packages/provenfix/cli.py"))


def test_hook_skips_commits_without_python_and_test_code(hooks: Hooks, tmp_path: Path) -> None:
    root = project(tmp_path / "app", hooks, {"id": "provenfix"})
    stage(root, hooks, {"README.md": "# app\n"})
    docs_only = pre_commit("run", cwd=root, env=hooks.env)
    assert docs_only.returncode == 0 and "(no files to check)Skipped" in docs_only.stdout, docs_only.stdout
    # Test code is left out as `provenfix scan .` leaves it out: its sinks run on fixtures.
    stage(root, hooks, {"tests/test_disk.py": VULNERABLE, "app/disk_test.py": VULNERABLE, "conftest.py": VULNERABLE})
    tests_only = pre_commit("run", cwd=root, env=hooks.env)
    assert tests_only.returncode == 0 and "(no files to check)Skipped" in tests_only.stdout, tests_only.stdout


def test_hook_with_baseline_fails_only_on_new_findings(hooks: Hooks, tmp_path: Path) -> None:
    root = project(tmp_path / "app", hooks, {"id": "provenfix", "args": ["--baseline", ".provenfix-baseline.json"]})
    stage(root, hooks, {"app/disk.py": VULNERABLE})
    accepted = Baseline.of(api.scan([str(root)]).findings)  # as `provenfix scan . --write-baseline` does
    write(accepted, root / ".provenfix-baseline.json")
    run("git", "add", ".provenfix-baseline.json", cwd=root, env=hooks.env, check=True)
    run("git", "commit", "-qm", "accepted", "--no-verify", cwd=root, env=hooks.env, check=True)
    # The accepted bug moved down and its line edited: still accepted.
    stage(root, hooks, {"app/disk.py": '"""Disk."""\nimport os\n\nLIMIT = 3\n\n\ndef usage(path):\n'
                                       '    path = path.strip()\n    return os.system("du -s -h " + path)  # size\n'})
    moved = pre_commit("run", cwd=root, env=hooks.env)
    assert moved.returncode == 0 and "provenfix (security scan)...." in moved.stdout and "Passed" in moved.stdout, moved.stdout
    # A new bug in another file fails the hook, which names only it.
    stage(root, hooks, {"app/net.py": VULNERABLE.replace("def usage", "def ping")})
    added = pre_commit("run", "--all-files", cwd=root, env=hooks.env)
    assert added.returncode == 1, added.stdout
    assert "app/net.py:5 (ping)" in added.stdout and "1 finding " in added.stdout and "app/disk.py" not in added.stdout


def test_hostile_file_name_is_scanned_not_taken_as_an_option(hooks: Hooks, tmp_path: Path) -> None:
    """pre-commit appends file names after the hook's options, as they are: a file named
    `--output=app.py` must not make the report overwrite app.py."""
    root = project(tmp_path / "app", hooks, {"id": "provenfix"})
    stage(root, hooks, {"app.py": "def add(a, b):\n    return a + b\n", "--output=app.py": VULNERABLE})
    result = pre_commit("run", "--all-files", cwd=root, env=hooks.env)
    assert result.returncode == 1, result.stdout
    assert "--output=app.py:5 (usage)" in result.stdout, result.stdout
    assert (root / "app.py").read_text() == "def add(a, b):\n    return a + b\n"


def test_fix_hook_proves_without_writing(hooks: Hooks, tmp_path: Path) -> None:
    """Without `args: [--apply]` the fix hook shows each proven fix and writes nothing. (With it, the fix is
    written and pre-commit stops the commit, "files were modified by this hook": its own behaviour, and a
    second real fix run, left out to keep the suite fast.)"""
    # The proofs run with the project's interpreter (its .venv, else --python): the hook's own has no pytest.
    root = project(tmp_path / "app", hooks, {"id": "provenfix-fix", "args": ["--python", sys.executable]})
    stage(root, hooks, {"app/disk.py": VULNERABLE})
    before = worktree(root)
    shown = pre_commit("run", cwd=root, env=hooks.env)
    assert shown.returncode == 0, shown.stdout  # every finding has a verified fix: shown (verbose), not written
    assert "provenfix fix (fix and prove)" in shown.stdout and "1 verified" in shown.stdout
    assert "+++ b/app/disk.py" in shown.stdout and "subprocess.run" in shown.stdout
    assert worktree(root) == before
