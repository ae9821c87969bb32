"""A sandboxed run that tries to write the host, set up and judged from outside.

Imported by test_filesystem.py, and run as a script (``python _fs_escape.py JSON``) when
the check must happen in another process: as another user, or with other settings.
Prints a JSON report; the caller asserts on it.

The run gets a copy of an "original" project, as the verifier gives it one. Its test
first tries to remount / read-write, then writes, by absolute path, the original project
(an existing file and a new one), a directory next to the original (in each of
``bases``), one next to the scratch copies (e.g. in /dev/shm), and
``/etc/provenfix-probe``. Every directory it aims at is made
writable by anyone, so that only the sandbox's filesystem layer can stop those writes
(not our uid, nor the per-run uid root drops to). It also writes its own copy, its /tmp,
its TMPDIR and its /dev/shm, which must work; the host must not see the /tmp and
/dev/shm files afterwards (they are private to the run).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import textwrap
import uuid
from pathlib import Path

ETC_PROBE = "/etc/provenfix-probe"

_INNER_TEST = '''
import ctypes, errno, json, os, tempfile

TARGETS = {targets!r}
OWN = {own!r}


def test_escape():
    attempts = {{}}
    # First try to undo the read-only view: remount / read-write (MS_REMOUNT | MS_BIND).
    libc = ctypes.CDLL(None, use_errno=True)
    done = libc.mount(None, b"/", None, 32 | 4096, None) == 0
    attempts["remount /"] = "written" if done else errno.errorcode.get(ctypes.get_errno(), "?")
    for path in TARGETS:
        try:
            with open(path, "w") as f:
                f.write("pwned by the sandboxed run\\n")
            attempts[path] = "written"
        except OSError as exc:
            attempts[path] = errno.errorcode.get(exc.errno, str(exc.errno))
    own = {{}}
    for path in [*OWN, os.path.join(tempfile.gettempdir(), "own-tmpdir.txt")]:
        with open(path, "w") as f:
            f.write("mine")
        with open(path) as f:
            own[path] = f.read() == "mine"
    with open("attempts.json", "w") as f:
        json.dump({{"attempts": attempts, "own": own}}, f)
    assert all(result != "written" for result in attempts.values()), attempts
    assert all(own.values()), own
'''


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _writable_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o777)
    return path


def run_escape(bases: list[str], python: str) -> dict:
    """Set up under ``bases`` (the original project goes in the first), run, look at the host."""
    from provenfix.verify.sandbox import copy_project, isolation_level, run_pytest, scratch_dir

    tag = uuid.uuid4().hex[:12]
    original = _writable_dir(Path(bases[0]) / f"original-{tag}")
    (original / "app.py").write_text("def handler():\n    return 'original'\n")
    (original / "app.py").chmod(0o666)
    outside = [_writable_dir(Path(base) / f"outside-{tag}") for base in bases]
    scratch_parent = os.environ.get("PROVENFIX_SCRATCH") or "/dev/shm"
    sibling = Path(tempfile.mkdtemp(prefix="provenfix-fs-sibling-", dir=scratch_parent))
    sibling.chmod(0o777)
    outside.append(sibling)
    targets = [str(original / "app.py"), str(original / "new_module.py")]
    targets += [str(d / "pwned.txt") for d in outside]
    targets.append(ETC_PROBE)
    own_tmp, own_shm = f"/tmp/provenfix-own-{tag}.txt", f"/dev/shm/provenfix-own-{tag}.txt"
    etc_before = Path(ETC_PROBE).read_bytes() if os.path.lexists(ETC_PROBE) else None
    tests = {"tests/test_escape.py": _INNER_TEST.format(targets=targets, own=["own-copy.txt", own_tmp, own_shm])}
    for rel, text in tests.items():
        (original / rel).parent.mkdir(parents=True, exist_ok=True)
        (original / rel).write_text(textwrap.dedent(text))
    before = _digest(original)
    try:
        with scratch_dir() as work:
            copy = work / "project"
            copy_project(original, copy)
            run = run_pytest(copy, ["tests/test_escape.py"], python=python, timeout_s=60)
            attempts_file = copy / "attempts.json"
            inside = json.loads(attempts_file.read_text()) if attempts_file.exists() else None
            copy_written = (copy / "own-copy.txt").exists()
        return {
            "uid": os.getuid(),
            "isolation": isolation_level(python),
            "outcome": run.outcome,
            "output_tail": run.output_tail,
            "inside": inside,
            "copy_written": copy_written,
            "original_unchanged": _digest(original) == before,
            "outside_contents": {str(d): sorted(os.listdir(d)) for d in outside},
            "etc_probe_unchanged": (Path(ETC_PROBE).read_bytes() if os.path.lexists(ETC_PROBE) else None) == etc_before,
            "private_tmp_left_on_host": [p for p in (own_tmp, own_shm) if os.path.lexists(p)],
        }
    finally:
        shutil.rmtree(original, ignore_errors=True)
        for d in outside:
            shutil.rmtree(d, ignore_errors=True)
        for p in (own_tmp, own_shm):
            if os.path.lexists(p):
                os.unlink(p)
        if etc_before is None and os.path.lexists(ETC_PROBE):
            os.unlink(ETC_PROBE)


if __name__ == "__main__":
    args = json.loads(sys.argv[1])
    print(json.dumps(run_escape(args["bases"], args["python"])))
