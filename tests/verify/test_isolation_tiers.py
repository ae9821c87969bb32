"""As root, the sandbox picks the strongest of three ways to stop a fork bomb; each is tested.

1. a per-run unprivileged uid (the interpreter is reachable by anyone): RLIMIT_NPROC;
2. the same, for an interpreter under a 0700 home: the run's view of the host makes only the
   interpreter's own directories reachable, never the rest of that home (no capability is kept);
3. staying root, without capabilities, inside a cgroup with pids.max (interpreter not executable
   by others).
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from provenfix.verify.sandbox import isolation_level, run_pytest

from .conftest import processes_with_env, write_tree

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="isolation tiers only differ for root")

BOMB = {"tests/test_bomb.py": "import os\n\ndef test_bomb():\n    while True:\n        os.fork()\n"}


def _venv(where: Path, base: str, copies: bool) -> Path:
    """A venv on ``base`` that sees this interpreter's site-packages (for pytest)."""
    flags = ["--copies"] if copies else ["--symlinks"]
    subprocess.run([base, "-m", "venv", "--without-pip", *flags, str(where)], check=True, capture_output=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    (where / "lib" / version / "site-packages" / "host.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return where / "bin" / "python"


def _bomb_is_stopped(project: Path, python: str) -> None:
    tag = f"PF_TIER_{uuid.uuid4().hex}"
    started = time.monotonic()
    run = run_pytest(project, ["tests/test_bomb.py"], python=python, max_procs=64, extra_env={tag: "1"})
    assert run.outcome == "killed", run.output_tail
    assert time.monotonic() - started < 20
    deadline = time.monotonic() + 5
    while processes_with_env(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with_env(tag) == []


@pytest.fixture
def public_dir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="pf-tier-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def _reachable_base_python() -> str | None:
    """A system interpreter of our version that any uid can run, if the host has one."""
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if not os.path.exists(candidate):
            continue
        version = subprocess.run(
            [candidate, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True, text=True, check=False
        ).stdout.strip()
        if version == str(sys.version_info[:2]):
            return candidate
    return None


@pytest.fixture
def root_only_dir() -> Iterator[Path]:
    """A 0700 directory the sandbox still sees (/tmp is private to each run, /var/tmp is not)."""
    path = Path(tempfile.mkdtemp(prefix="pf-tier-private-", dir="/var/tmp" if os.path.isdir("/var/tmp") else None))
    yield path
    shutil.rmtree(path)


def test_reachable_interpreter_runs_as_a_plain_unprivileged_uid(public_dir: Path, root_only_dir: Path) -> None:
    base = _reachable_base_python()
    if base is None:
        pytest.skip("no system python of this version to build a world-reachable venv on")
    python = str(_venv(public_dir / "venv", base, copies=False))
    assert "unprivileged per-run uid, no capabilities;" in isolation_level(python)
    secret = write_tree(root_only_dir, {"key.txt": "s3cret"}) / "key.txt"
    project = write_tree(
        public_dir / "proj",
        {
            **BOMB,
            "tests/test_read.py": f"import pytest\n\ndef test_cannot_read_root_files():\n"
            f"    with pytest.raises(OSError):  # not permitted, or not even there\n        open({str(secret)!r}).read()\n",
        },
    )
    assert run_pytest(project, ["tests/test_read.py"], python=python).outcome == "passed"
    _bomb_is_stopped(project, python)


def test_interpreter_under_a_private_home_runs_unprivileged_and_sees_nothing_else_there(tmp_path: Path) -> None:
    python = str(_venv(tmp_path / "venv", sys.executable, copies=False))  # tmp_path is 0700
    (tmp_path / "id_rsa").write_text("PRIVATE KEY")
    level = isolation_level(python)
    assert "unprivileged per-run uid, no capabilities;" in level, level
    project = write_tree(
        tmp_path / "proj",
        {
            **BOMB,
            "tests/test_write.py": f"import os, pytest\n\ndef test_sees_only_the_interpreter():\n"
            f"    assert os.getuid() != 0\n"
            f"    assert os.listdir({str(tmp_path)!r}) == ['venv']\n"
            f"    with pytest.raises(OSError):\n        open({str(tmp_path / 'pwned')!r}, 'w')\n",
        },
    )
    run = run_pytest(project, ["tests/test_write.py"], python=python)
    assert run.outcome == "passed", run.output_tail
    assert not (tmp_path / "pwned").exists()
    _bomb_is_stopped(project, python)


def test_interpreter_only_root_may_execute_falls_back_to_a_cgroup(tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv", sys.executable, copies=True)
    python.chmod(0o700)  # only root may execute it
    level = isolation_level(str(python))
    assert "runs as root, no capabilities" in level, level
    if "cgroup" not in level:
        pytest.skip("no writable pids cgroup on this host")
    _bomb_is_stopped(write_tree(tmp_path / "proj", BOMB), str(python))
