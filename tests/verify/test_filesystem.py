"""The filesystem layer: a run sees the host read-only, except its own copy and scratch dir,
and gets a /tmp and /dev/shm of its own. Real sandboxed runs, as root and as nobody, with
bubblewrap and with the ``unshare --mount`` fallback (bwrap made unusable)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import provenfix
from provenfix.verify.sandbox import isolation_level, run_pytest, run_sandboxed

from ._fs_escape import ETC_PROBE, run_escape
from .conftest import PYTHON, write_tree

HELPER = Path(__file__).with_name("_fs_escape.py")
NOBODY = 65534
AS_ROOT = os.geteuid() == 0
NO_BWRAP = {"PROVENFIX_BWRAP": "false"}  # a "bwrap" that fails: the sandbox must notice and fall back
BWRAP_EXPECTED = shutil.which("bwrap") is not None and "PROVENFIX_BWRAP" not in os.environ


def _assert_contained(report: dict) -> None:
    assert "minimal read-only view of the host" in report["isolation"], report["isolation"]
    assert report["outcome"] == "passed", report["output_tail"]
    attempts = report["inside"]["attempts"]
    assert all(result != "written" for result in attempts.values()), attempts
    assert attempts[ETC_PROBE] == "EROFS", attempts  # the mount layer said no, not file permissions
    assert all(report["inside"]["own"].values()) and report["copy_written"], report["inside"]
    assert report["original_unchanged"]
    assert all(listing == [] for listing in report["outside_contents"].values()), report["outside_contents"]
    assert report["etc_probe_unchanged"]
    assert report["private_tmp_left_on_host"] == []  # its /tmp and /dev/shm were its own


@pytest.fixture
def bases() -> Iterator[list[str]]:
    """Where the original project and the directories outside the copy go: /var/tmp, which the
    sandbox sees read-only, and /tmp, which it does not see at all; reachable by anyone."""
    made = [tempfile.mkdtemp(prefix="pf-fs-", dir="/var/tmp" if os.path.isdir("/var/tmp") else None)]
    made.append(tempfile.mkdtemp(prefix="pf-fs-"))
    for path in made:
        os.chmod(path, 0o755)
    yield made
    for path in made:
        shutil.rmtree(path, ignore_errors=True)


def _as_user(user: int) -> list[str]:
    # setpriv still holds root's capabilities when it looks the program up: exec it from
    # env, which runs as the user already, so an interpreter under /root is not found as
    # if the user could reach it (it would then start with whatever stdlib it finds).
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "env"]


def _run_helper(bases: list[str], python: str, *, user: int | None, env: dict[str, str] | None = None) -> dict:
    """run_escape in a fresh process (so the sandbox probes its host anew), as ``user`` if given."""
    if user is not None:
        for path in bases:
            os.chown(path, user, user)
    prefix = _as_user(user) if user is not None else []
    child_env = {**os.environ, **(env or {}), "HOME": bases[0]}
    args = json.dumps({"bases": bases, "python": python})
    done = subprocess.run(
        [*prefix, python, str(HELPER), args], capture_output=True, text=True, env=child_env, timeout=300, cwd=bases[0]
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["uid"] == (user if user is not None else os.getuid())
    return report


def _runs_as(user: int, python: str) -> bool:
    check = "import sys, provenfix.verify.sandbox, pytest; print(sys.version)"
    done = subprocess.run([*_as_user(user), python, "-c", check], capture_output=True, text=True, cwd="/", check=False)
    ours = subprocess.run([python, "-c", "import sys; print(sys.version)"], capture_output=True, text=True, check=False)
    return done.returncode == 0 and done.stdout == ours.stdout


def _venv(where: Path, base: str, *, copies: bool = False, also: tuple[str, ...] = ()) -> str:
    """A venv on ``base`` that sees the packages we see (pytest, pydantic...) and ``also``."""
    flags = ["--copies"] if copies else []
    subprocess.run([base, "-m", "venv", "--without-pip", *flags, str(where)], check=True, capture_output=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    pth = where / "lib" / version / "site-packages" / "host.pth"
    ours = [p for p in sys.path if p and os.path.isdir(p) and not p.startswith(sys.base_prefix)]
    pth.write_text("\n".join([*also, *ours]) + "\n")
    return str(where / "bin" / "python")


def _system_python() -> str | None:
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.path.exists(candidate):
            query = [candidate, "-c", "import sys; print(sys.version_info[:2])"]
            version = subprocess.run(query, capture_output=True, text=True, check=False).stdout.strip()
            if version == str(sys.version_info[:2]):
                return candidate
    return None


@pytest.fixture(scope="module")
def nobody_python() -> Iterator[str]:
    """An interpreter nobody can run, with our packages: ours, or a venv on the system python."""
    if not AS_ROOT:
        pytest.skip("not root, so no other user to become (the in-process tests already run unprivileged)")
    if shutil.which("setpriv") is None:
        pytest.skip("util-linux setpriv is not installed")
    if _runs_as(NOBODY, PYTHON):
        yield PYTHON
        return
    base = _system_python()
    if base is None:
        pytest.skip(f"nobody cannot run {PYTHON}, and no system python {sys.version_info[:2]} to build a venv on")
    where = Path(tempfile.mkdtemp(prefix="pf-fs-venv-"))
    where.chmod(0o755)
    try:
        src = str(Path(provenfix.__file__).resolve().parents[1])
        python = _venv(where / "venv", base, also=(src,))
        if not _runs_as(NOBODY, python):
            pytest.skip(f"nobody cannot run {PYTHON}, nor a venv on {base} that reads our site-packages")
        yield python
    finally:
        shutil.rmtree(where, ignore_errors=True)


def test_run_cannot_write_outside_its_copy(bases: list[str], tmp_path: Path) -> None:
    tmp_path.chmod(0o777)  # the test's own tmp_path, open to anyone: only the sandbox stands in the way
    report = run_escape([*bases, str(tmp_path)], PYTHON)
    _assert_contained(report)


def test_run_as_nobody_cannot_write_outside_its_copy(bases: list[str], nobody_python: str) -> None:
    report = _run_helper(bases, nobody_python, user=NOBODY)
    assert report["isolation"].startswith("bwrap:") or not BWRAP_EXPECTED, report["isolation"]
    _assert_contained(report)


@pytest.mark.parametrize("who", ["self", "nobody"])
def test_without_bwrap_a_mount_namespace_keeps_the_host_read_only(
    bases: list[str], who: str, request: pytest.FixtureRequest
) -> None:
    if who == "nobody":
        python, user = request.getfixturevalue("nobody_python"), NOBODY
    else:
        python, user = PYTHON, None
    report = _run_helper(bases, python, user=user, env=NO_BWRAP)
    assert report["isolation"].startswith("unshare:") and "mount namespace" in report["isolation"], report["isolation"]
    _assert_contained(report)


_REMOUNT_TEST = f"""
import ctypes, errno, os, pytest

MS_REMOUNT, MS_BIND = 32, 4096

def test_root_without_capabilities_cannot_undo_it():
    assert os.getuid() == 0
    libc = ctypes.CDLL(None, use_errno=True)
    assert libc.mount(None, b"/", None, MS_REMOUNT | MS_BIND, None) != 0  # / read-write again
    assert ctypes.get_errno() == errno.EPERM
    assert libc.umount2(b"/", 2) != 0  # lazily unmount the read-only view
    with pytest.raises(OSError) as raised:
        open({ETC_PROBE!r}, "w")
    assert raised.value.errno == errno.EROFS

def test_nor_raise_its_process_limit():
    seen = False
    for line in open("/proc/self/cgroup").read().splitlines():
        _, controllers, path = line.split(":", 2)
        if "provenfix" not in path or not ("pids" in controllers.split(",") or controllers == ""):
            continue
        seen = True  # its limit's file is read-only, or not even there (no /sys in its view)
        for limit in (f"/sys/fs/cgroup/pids{{path}}/pids.max", f"/sys/fs/cgroup{{path}}/pids.max"):
            with pytest.raises(OSError) as raised:
                open(limit, "w").write("max")
            assert raised.value.errno in (errno.EROFS, errno.ENOENT)
    assert seen == (os.environ["PF_EXPECT_CGROUP"] == "1")
"""

_REMOUNT_SCRIPT = """
import json, sys
from pathlib import Path
from provenfix.verify.sandbox import isolation_level, run_pytest, run_sandboxed
level = isolation_level(sys.argv[2])
cgroup = {"PF_EXPECT_CGROUP": "1" if "cgroup pids limit" in level else "0"}
run = run_pytest(Path(sys.argv[1]), ["tests/test_remount.py"], python=sys.argv[2], extra_env=cgroup)
print(json.dumps({"isolation": level, "outcome": run.outcome, "tail": run.output_tail}))
"""


@pytest.mark.skipif(not AS_ROOT, reason="the tier that stays uid 0 exists only for root")
@pytest.mark.parametrize("env", [{}, NO_BWRAP], ids=["bwrap", "unshare-mount"])
def test_a_run_left_as_root_cannot_remount_the_host_writable(tmp_path: Path, env: dict[str, str]) -> None:
    # An interpreter only root may execute keeps the run at uid 0 (see test_isolation_tiers).
    python = Path(_venv(tmp_path / "venv", PYTHON, copies=True))
    python.chmod(0o700)
    project = write_tree(tmp_path / "proj", {"tests/test_remount.py": _REMOUNT_TEST})
    done = subprocess.run(
        [PYTHON, "-c", _REMOUNT_SCRIPT, str(project), str(python)],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "runs as root" in report["isolation"] and "no capabilities" in report["isolation"], report["isolation"]
    assert report["outcome"] == "passed", report["tail"]
    assert not os.path.exists(ETC_PROBE)


def test_isolation_level_names_the_filesystem_layer() -> None:
    level = isolation_level(PYTHON)
    assert "minimal read-only view of the host" in level or "host filesystem visible" in level
    if BWRAP_EXPECTED:
        assert level.startswith("bwrap: "), level


def test_a_venv_under_tmp_is_still_visible_to_the_run(tmp_path: Path) -> None:
    # /tmp is private to the run: the interpreter's own tree there is bound back read-only.
    venv = Path(tempfile.mkdtemp(prefix="pf-fs-venv-"))
    try:
        venv.chmod(0o755)
        python = _venv(venv / "v", PYTHON)
        project = write_tree(
            tmp_path / "proj",
            {
                "tests/test_where.py": f"""
                    import os, sys, pytest
                    def test_runs_from_the_venv_which_is_read_only():
                        assert sys.prefix == {str(venv / "v")!r}
                        with pytest.raises(OSError):
                            open(os.path.join(sys.prefix, "pwned"), "w")
                """
            },
        )
        run = run_pytest(project, ["tests/test_where.py"], python=python)
        assert run.outcome == "passed", run.output_tail
        assert not (venv / "v" / "pwned").exists()
    finally:
        shutil.rmtree(venv)


def test_a_command_under_tmp_runs_but_cannot_change_itself(tmp_path: Path) -> None:
    tools = Path(tempfile.mkdtemp(prefix="pf-fs-tool-"))
    try:
        tools.chmod(0o777)
        tool = tools / "tool.sh"
        tool.write_text('#!/bin/sh\necho "tool ran in $PWD"\necho pwned >> "$0" || echo "tool is read-only"\n')
        tool.chmod(0o777)
        before = tool.read_bytes()
        work = write_tree(tmp_path / "w", {"data.txt": "x"})
        run = run_sandboxed([str(tool)], work, timeout_s=30)
        assert run.exit_code == 0, run.output_tail
        assert "tool ran in" in run.output_tail and "tool is read-only" in run.output_tail, run.output_tail
        assert tool.read_bytes() == before
    finally:
        shutil.rmtree(tools)
