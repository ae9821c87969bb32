"""Faults end cleanly: one line on stderr, the documented exit code, no traceback, the report kept where
it can be, and the tree untouched where that is promised. Real `python -m provenfix` processes, real files."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._trees import pyproject, tree
from tests.hostile.conftest import run_cli, write_tree

VULNERABLE = '''\
"""Disk tools."""
import os


def usage(path):
    return os.system("du -sh " + path)
'''
FILES = {"pyproject.toml": pyproject("proj"), "tools/__init__.py": "",
         "tools/disk.py": VULNERABLE}
root_only = pytest.mark.skipif(os.geteuid() != 0, reason="mounts need root")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", FILES)


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("provenfix: error:")]


def test_a_symlink_loop_anywhere_is_skipped_not_a_crash(project: Path) -> None:
    (project / "tools" / "loop.py").symlink_to("loop.py")
    (project / "tools" / "ping").symlink_to("pong")
    (project / "tools" / "pong").symlink_to("ping")
    (project / "deep").symlink_to("deep/deeper")
    result = run_cli("fix", str(project), "--format", "json")
    assert result.returncode == 0, result.stderr[-3000:]
    assert errors(result) == []
    (fix,) = json.loads(result.stdout)["fixes"]
    assert fix["status"] == "verified"
    assert "provenfix: warning: tools/loop.py: skipped, broken or looping symlink" in result.stderr.splitlines()


def test_a_read_only_target_is_refused_with_one_line_and_exit_2(project: Path) -> None:
    disk = project / "tools" / "disk.py"
    disk.chmod(0o444)
    before = tree(project)
    result = run_cli("fix", str(project), "--apply", "--format", "json")
    assert result.returncode == 2, result.stderr[-3000:]
    lines = errors(result)
    assert [line for line in lines if "read-only" in line] == [
        "provenfix: error: not applied: tools/disk.py: read-only (mode 444)"]
    # Its proof test goes with it (one line for it, naming why), so no fix is half applied.
    assert len(lines) == 2 and lines[1].endswith("_36e08079.py: its fix's tools/disk.py was refused")
    assert tree(project) == before
    report = json.loads(result.stdout)
    assert report["fixes"][0]["status"] == "verified" and report["applied"] == []


@pytest.fixture
def mounts() -> Iterator[list[Path]]:
    """Mount points to take down after the test, innermost first."""
    made: list[Path] = []
    yield made
    for point in reversed(made):
        subprocess.run(["umount", "-l", str(point)], check=False)


def _mount(mounts: list[Path], *args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")
    mounts.append(Path(args[-1]))


@root_only
def test_a_read_only_mount_writes_nothing_and_keeps_the_report(project: Path, mounts: list[Path]) -> None:
    tools = project / "tools"
    _mount(mounts, "--bind", str(tools), str(tools))
    _mount(mounts, "-o", "remount,bind,ro", str(tools))
    before = tree(project)
    result = run_cli("fix", str(project), "--apply", "--format", "json")
    assert result.returncode == 2, result.stderr[-3000:]
    assert errors(result) == ["provenfix: error: --apply wrote nothing: tools/disk.py: Read-only file system"]
    assert tree(project) == before  # the proof test's folders, made before the failure, are gone again
    report = json.loads(result.stdout)
    assert report["fixes"][0]["status"] == "verified" and report["applied"] == []


@root_only
def test_a_full_disk_writes_nothing_and_keeps_the_report(tmp_path: Path, mounts: list[Path]) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    _mount(mounts, "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk))
    project = write_tree(disk / "proj", FILES)
    filler = project / "filler.bin"
    with filler.open("wb", buffering=0) as fh:  # fill the disk, then free one page: room for the proof test only
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    os.truncate(filler, filler.stat().st_size - 4096)
    before = tree(project)
    report_file = tmp_path / "report.json"
    result = run_cli("fix", str(project), "--apply", "--format", "json", "-o", str(report_file))
    assert result.returncode == 2, result.stderr[-3000:]
    assert errors(result) == ["provenfix: error: --apply wrote nothing: tools/disk.py: No space left on device"]
    assert tree(project) == before
    report = json.loads(report_file.read_text())
    assert report["fixes"][0]["status"] == "verified" and report["applied"] == []


@pytest.mark.parametrize("command", ["fix", "scan"])
def test_output_into_a_missing_folder_fails_before_any_work(project: Path, tmp_path: Path, command: str) -> None:
    before = tree(project)
    extra = ["--apply"] if command == "fix" else []
    result = run_cli(command, str(project), *extra, "-o", str(tmp_path / "no-such-folder" / "report.json"))
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines == [f"provenfix: error: --output {tmp_path}/no-such-folder/report.json: "
                     f"folder {tmp_path}/no-such-folder does not exist"], result.stderr
    assert tree(project) == before  # failed fast: nothing was applied for a report that could not be kept


INTERRUPTED = """
import os, signal, sys
from provenfix import api, apply
from provenfix.cli import main

where = sys.argv.pop(1)
if where == "temporaries":  # Ctrl-C once the first temporary is written, before anything is renamed
    write = apply._write_temporary
    def hook(target):
        write(target)
        os.kill(os.getpid(), signal.SIGINT)
    apply._write_temporary = hook
else:  # Ctrl-C as the first file is renamed into place
    rename, apply_changes = os.rename, api.apply_changes
    def hook(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        rename(*args, **kwargs)
    def armed(*args, **kwargs):
        apply.os.rename = hook
        return apply_changes(*args, **kwargs)
    api.apply_changes = armed
sys.argv[0] = "provenfix"
main()
"""


def _interrupted(project: Path, where: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", INTERRUPTED, where, "fix", str(project), "--apply"],
                          capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


def test_ctrl_c_before_the_renames_leaves_the_tree_as_it_was(project: Path) -> None:
    before = tree(project)
    result = _interrupted(project, "temporaries")
    assert result.returncode == 130, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "provenfix: interrupted during --apply; nothing was written"
    assert tree(project) == before  # no temporary, no folder made for the proof test


def test_ctrl_c_during_the_renames_finishes_them_and_says_what_was_written(project: Path) -> None:
    result = _interrupted(project, "renames")
    assert result.returncode == 130, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    (proof,) = (project / "tests" / "security").glob("test_provenfix_*.py")
    assert result.stderr.splitlines()[-1] == (
        f"provenfix: interrupted during --apply; after writing {proof.relative_to(project)}, tools/disk.py")
    assert "subprocess.run" in (project / "tools" / "disk.py").read_text()
    assert not [p for p in project.rglob("*") if p.name.endswith(".provenfix-tmp")]


def test_a_pep_263_file_is_scanned_not_skipped(project: Path) -> None:
    (project / "tools" / "disk.py").write_bytes(
        ("# -*- coding: latin-1 -*-\n# Outils disque: café\n" + VULNERABLE).encode("latin-1"))
    result = run_cli("scan", str(project), "--format", "json")
    assert result.returncode == 1, result.stderr
    assert [f["location"]["path"] for f in json.loads(result.stdout)["findings"]] == ["tools/disk.py"]
    assert "skipped" not in result.stderr


def _waiting_for(path: Path) -> int:
    """How many processes are blocked on an flock of `path` (Linux /proc/locks: '->' marks a waiter)."""
    inode = f":{path.stat().st_ino} "
    return sum(1 for line in Path("/proc/locks").read_text().splitlines() if "->" in line and inode in line)


def test_a_second_concurrent_apply_refuses_what_the_first_wrote_and_exits_2(project: Path) -> None:
    """Both runs verify the same fix on the same tree; they take turns writing. The test holds the
    project's lock until both are ready to write, so they really do meet there."""
    command = [sys.executable, "-m", "provenfix", "fix", str(project), "--apply", "--format", "json"]
    held = os.open(project, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(held, fcntl.LOCK_EX)
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             stdin=subprocess.DEVNULL) for _ in range(2)]
    try:
        deadline = time.monotonic() + 300
        while _waiting_for(project) < 2:
            assert all(run.poll() is None for run in runs), "a run ended before it reached the lock"
            assert time.monotonic() < deadline, "the runs never reached the lock"
            time.sleep(0.1)
    finally:
        os.close(held)
    outputs = [run.communicate(timeout=300) for run in runs]
    codes = [run.returncode for run in runs]
    assert sorted(codes) == [0, 2], [err[-2000:] for _, err in outputs]
    _, loser_err = outputs[codes.index(2)]
    assert "Traceback" not in loser_err
    lines = [line for line in loser_err.splitlines() if line.startswith("provenfix: error:")]
    (proof,) = (project / "tests" / "security").glob("test_provenfix_*.py")
    assert lines == [f"provenfix: error: not applied: {proof.relative_to(project)}: already exists",
                     "provenfix: error: not applied: tools/disk.py: changed since it was scanned (run provenfix again)"]
    assert json.loads(outputs[codes.index(2)][0])["applied"] == []
    assert (project / "tools" / "disk.py").read_text().count("subprocess.run") == 1


def test_ctrl_c_while_verifying_says_so_in_one_line(project: Path) -> None:
    before = tree(project)
    proc = subprocess.Popen([sys.executable, "-m", "provenfix", "fix", str(project), "--apply"], text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert proc.stderr is not None
    for line in proc.stderr:
        if "verifying" in line:
            break
    proc.send_signal(signal.SIGINT)
    rest = proc.stderr.read()
    assert proc.wait(timeout=300) == 130
    assert "Traceback" not in rest
    assert rest.splitlines()[-1] == "provenfix: interrupted; nothing was left half-written"
    assert tree(project) == before


def test_a_latin_1_file_is_fixed_verified_and_written_back_in_latin_1(project: Path) -> None:
    """Read as Python reads it, patched and judged in the sandbox copy in its own encoding, written back so."""
    disk = project / "tools" / "disk.py"
    disk.write_bytes(("# -*- coding: latin-1 -*-\n# Outils disque: café\n" + VULNERABLE).encode("latin-1"))
    result = run_cli("fix", str(project), "--apply", "--format", "json")
    assert result.returncode == 0, result.stderr
    [fix] = json.loads(result.stdout)["fixes"]
    assert fix["status"] == "verified", fix["reason"]
    data = disk.read_bytes()
    assert "café".encode("latin-1") in data and "café".encode("utf-8") not in data
    assert b"os.system(" not in data and b"subprocess" in data
