"""--apply writes atomically and refuses files that changed since they were read."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from provenfix.apply import apply_changes, write_atomic
from provenfix.errors import ApplyError


def test_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "app.py"
    target.write_text("old = 1\n")
    target.write_text("edited by the user meanwhile\n")
    with pytest.raises(ApplyError, match="changed since it was scanned"):
        write_atomic(target, "new = 1\n", expected="old = 1\n")
    assert target.read_text() == "edited by the user meanwhile\n"


def test_keeps_mode_and_bom_and_reports_each_refusal(tmp_path: Path) -> None:
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_bytes(b"\xef\xbb\xbfx = 1\n")
    a.chmod(0o755)
    b.write_text("y = 1\n")
    written, errors = apply_changes(tmp_path, {"a.py": ("x = 2\n", "x = 1\n"), "b.py": ("y = 2\n", "not what was read\n"),
                                               "tests/security/test_new.py": ("def test(): pass\n", None)})
    assert written == ["a.py", "tests/security/test_new.py"]
    assert len(errors) == 1 and "b.py" in errors[0]
    assert a.read_bytes() == b"\xef\xbb\xbfx = 2\n" and (a.stat().st_mode & 0o777) == 0o755
    assert b.read_text() == "y = 1\n"
    assert not list(tmp_path.glob(".*provenfix-tmp"))


WRITER = """
import sys
from pathlib import Path
from provenfix.apply import write_atomic
path = Path(sys.argv[1])
old, new = "A" * 5_000_000, "B" * 5_000_000
print("ready", flush=True)
while True:
    current = path.read_text()
    write_atomic(path, new if current == old else old, expected=current)
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
