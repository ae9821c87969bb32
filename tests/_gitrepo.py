"""Real git repositories for tests: an isolated git (no user or system config), and a small project
with two fixable findings in two files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests._trees import pyproject

# Nobody's ~/.gitconfig, hooks or signing: the identity comes from here.
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.com",
    "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.com",
}
MODEL_VARIABLES = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
                   "GEMINI_API_KEY", "GOOGLE_API_KEY", "OLLAMA_HOST", "PROVENFIX_MODELS")

SHELL_PY = '''import os


def make_dir(directory: str) -> int:
    return os.system("mkdir -p " + directory)
'''
CONFIG_PY = '''import yaml


def parse(document: str):
    return yaml.load(document, Loader=yaml.Loader)
'''
TESTS_PY = '''from tools.config import parse
from tools.shell import make_dir


def test_parse():
    assert parse("a: 1") == {"a": 1}


def test_make_dir(tmp_path):
    assert make_dir(str(tmp_path / "x")) == 0
'''


def environ(**extra: str) -> dict[str, str]:
    """This process's environment for a child: isolated git, no model provider, no user config."""
    env = {k: v for k, v in os.environ.items() if k not in MODEL_VARIABLES and not k.startswith("GIT_")}
    return {**env, **GIT_ENV, "PROVENFIX_CONFIG": os.devnull, **extra}


def git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=root, env=environ(), capture_output=True, text=True, timeout=60)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {done.stderr}")
    return done.stdout


def two_findings(root: Path) -> Path:
    """A library with a command injection (tools/shell.py) and an unsafe YAML load (tools/config.py)."""
    (root / "tools").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(pyproject("tools"))
    (root / "tools" / "__init__.py").write_text("")
    (root / "tools" / "shell.py").write_text(SHELL_PY)
    (root / "tools" / "config.py").write_text(CONFIG_PY)
    (root / "tests" / "test_tools.py").write_text(TESTS_PY)
    return root


def init_repo(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def provenfix(*args: str, cwd: Path, python: str = sys.executable) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "provenfix", *args], cwd=cwd, env=environ(), capture_output=True,
                          text=True, timeout=300)
