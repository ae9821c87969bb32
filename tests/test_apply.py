"""--apply writes atomically, inside the project only, never through a symlink, and refuses what it cannot
write safely: files changed since they were read, read-only ones, text its file's encoding cannot hold."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from provenfix import apply
from provenfix.apply import apply_changes
from tests._trees import tree as _tree

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to chown")


def _project(tmp_path: Path, name: str = "proj") -> Path:
    root = tmp_path / name
    root.mkdir()
    return root


def test_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "app.py"
    target.write_text("edited by the user meanwhile\n")
    done = apply_changes(tmp_path, {"app.py": ("new = 1\n", "old = 1\n")})
    assert done.written == [] and len(done.refused) == 1 and "changed since it was scanned" in done.refused[0]
    assert target.read_text() == "edited by the user meanwhile\n"


def test_keeps_mode_and_bom_and_reports_each_refusal(tmp_path: Path) -> None:
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_bytes(b"\xef\xbb\xbfx = 1\n")
    a.chmod(0o750)
    b.write_text("y = 1\n")
    done = apply_changes(tmp_path, {"a.py": ("x = 2\n", "x = 1\n"), "b.py": ("y = 2\n", "not what was read\n"),
                                    "tests/security/test_new.py": ("def test(): pass\n", None)})
    assert done.written == ["a.py", "tests/security/test_new.py"] and done.failed is None
    assert len(done.refused) == 1 and "b.py" in done.refused[0]
    assert a.read_bytes() == b"\xef\xbb\xbfx = 2\n" and (a.stat().st_mode & 0o7777) == 0o750
    assert b.read_text() == "y = 1\n"
    assert (tmp_path / "tests" / "security" / "test_new.py").stat().st_mode & 0o777 == 0o644
    assert not list(tmp_path.rglob("*.provenfix-tmp"))


def test_a_fixs_files_are_written_together_or_not_at_all(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("a = 1\n")
    (tmp_path / "b.py").write_text("b = 1\n")
    (tmp_path / "c.py").write_text("c = 1\n")
    changes = {"a.py": ("a = 2\n", "a = 1\n"), "b.py": ("b = 2\n", "changed meanwhile\n"),
               "c.py": ("c = 2\n", "c = 1\n"), "tests/test_a.py": ("", None), "tests/test_c.py": ("", None)}
    # Fix 1 patches a.py and b.py; fix 2 only c.py.
    done = apply_changes(tmp_path, changes, [{"a.py", "b.py", "tests/test_a.py"}, {"c.py", "tests/test_c.py"}])
    assert done.written == ["c.py", "tests/test_c.py"]
    assert [line.split(":")[1].strip() for line in done.refused] == ["b.py", "a.py", "tests/test_a.py"]
    assert done.refused[1] == "not applied: a.py: its fix's b.py was refused"
    assert (tmp_path / "a.py").read_text() == "a = 1\n" and not (tmp_path / "tests" / "test_a.py").exists()


@pytest.mark.parametrize("rel", ["../proj_evil/x.py", "/tmp/x.py", "a/../../proj_evil/x.py", "a//x.py", "./x.py"])
def test_paths_that_could_leave_the_root_are_refused(tmp_path: Path, rel: str) -> None:
    root = _project(tmp_path)
    evil = _project(tmp_path, "proj_evil")  # a sibling whose name starts with the root's: no prefix test lets it in
    done = apply_changes(root, {rel: ("pwned = 1\n", None)})
    assert done.written == [] and len(done.refused) == 1 and "not a plain relative path" in done.refused[0]
    assert _tree(evil) == {} and _tree(root) == {}


def test_a_symlinked_folder_on_the_way_is_never_followed(tmp_path: Path) -> None:
    root = _project(tmp_path)
    outside = _project(tmp_path, "proj_evil")
    (root / "tests").symlink_to(outside)  # absolute link to a sibling-prefixed folder
    (root / "pkg").mkdir()
    (root / "pkg" / "sub").symlink_to("../../proj_evil")  # relative, deeper
    done = apply_changes(root, {"tests/security/test_x.py": ("x = 1\n", None), "pkg/sub/y.py": ("y = 1\n", None)})
    assert done.written == []
    assert ["symlink" in line for line in done.refused] == [True, True], done.refused
    assert any("tests is a symlink" in line for line in done.refused)
    assert any("pkg/sub is a symlink" in line for line in done.refused)
    assert _tree(outside) == {}


def test_a_symlinked_target_file_is_not_written_through(tmp_path: Path) -> None:
    root = _project(tmp_path)
    outside = tmp_path / "victim.py"
    outside.write_text("x = 1\n")
    (root / "app.py").symlink_to(outside)
    done = apply_changes(root, {"app.py": ("x = 2\n", "x = 1\n")})
    assert done.written == [] and "app.py: is a symlink" in done.refused[0]
    assert outside.read_text() == "x = 1\n" and (root / "app.py").is_symlink()


def test_a_folder_swapped_for_a_symlink_after_the_check_is_not_followed(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Race: `pkg` is checked, then replaced by a link to the outside before the write. The write goes
    through the folder fd opened at check time, so it lands in the real folder (now pkg_old), never outside."""
    root = _project(tmp_path)
    outside = _project(tmp_path, "outside")
    (root / "pkg").mkdir()
    (root / "pkg" / "app.py").write_text("x = 1\n")
    real = apply._write_temporary

    def swap_then_write(target: apply._Target) -> None:
        if not (root / "pkg").is_symlink():
            (root / "pkg").rename(root / "pkg_old")
            (root / "pkg").symlink_to(outside)
        real(target)

    monkeypatch.setattr(apply, "_write_temporary", swap_then_write)
    done = apply_changes(root, {"pkg/app.py": ("x = 2\n", "x = 1\n"), "pkg/test_new.py": ("t = 1\n", None)})
    assert _tree(outside) == {}
    assert (root / "pkg_old" / "app.py").read_text() == "x = 2\n" and done.written == ["pkg/app.py", "pkg/test_new.py"]


def test_read_only_files_and_folders_are_refused_even_for_root(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "locked.py").write_text("x = 1\n")
    (root / "locked.py").chmod(0o444)
    (root / "ro").mkdir()
    (root / "ro" / "app.py").write_text("y = 1\n")
    (root / "ro").chmod(0o555)
    try:
        done = apply_changes(root, {"locked.py": ("x = 2\n", "x = 1\n"), "ro/app.py": ("y = 2\n", "y = 1\n")})
    finally:
        (root / "ro").chmod(0o755)
    assert done.written == []
    assert "locked.py: read-only (mode 444)" in done.refused[0] and "ro/app.py: its folder is read-only" in done.refused[1]
    assert (root / "locked.py").read_text() == "x = 1\n" and (root / "ro" / "app.py").read_text() == "y = 1\n"


def test_a_file_is_written_back_in_its_own_encoding(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\nNAME = 'café'\n"
    (tmp_path / "latin.py").write_bytes(source.encode("latin-1"))
    (tmp_path / "snow.py").write_bytes(source.encode("latin-1"))
    patched = source + "GREETING = 'déjà vu'\n"
    done = apply_changes(tmp_path, {"latin.py": (patched, source), "snow.py": (source + "S = '\u2603'\n", source)})
    assert done.written == ["latin.py"]
    assert (tmp_path / "latin.py").read_bytes() == patched.encode("latin-1")
    assert len(done.refused) == 1 and "snow.py" in done.refused[0] and "iso-8859-1 cannot represent" in done.refused[0]
    assert (tmp_path / "snow.py").read_bytes() == source.encode("latin-1")


@root_only
def test_replaced_files_keep_their_owner_and_new_ones_take_their_folders(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "app.py").write_text("x = 1\n")
    os.chown(root / "app.py", 65534, 65534)
    (root / "app.py").chmod(0o640)
    os.chown(root, 65534, 65534)
    done = apply_changes(root, {"app.py": ("x = 2\n", "x = 1\n"), "tests/security/test_x.py": ("t = 1\n", None)})
    assert done.written == ["app.py", "tests/security/test_x.py"]
    for path in (root / "app.py", root / "tests", root / "tests" / "security", root / "tests" / "security" / "test_x.py"):
        assert (path.stat().st_uid, path.stat().st_gid) == (65534, 65534), path
    assert (root / "app.py").stat().st_mode & 0o7777 == 0o640


WRITER = """
import sys
from pathlib import Path
from provenfix.apply import apply_changes
path = Path(sys.argv[1])
old, new = "A" * 5_000_000, "B" * 5_000_000
print("ready", flush=True)
while True:
    current = path.read_text()
    done = apply_changes(path.parent, {path.name: (new if current == old else old, current)})
    assert done.written == [path.name], done
"""


def test_a_kill_at_any_moment_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    target = tmp_path / "big.py"
    target.write_text("A" * 5_000_000)
    for delay in (0.05, 0.13, 0.21, 0.37, 0.5):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert target.read_text() in ("A" * 5_000_000, "B" * 5_000_000)
