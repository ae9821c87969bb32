"""A cgroup with a ``pids.max`` for a sandboxed run, when the host lets us make one.

Used only as root when the tests cannot run under another uid: RLIMIT_NPROC does not
bind uid 0, a cgroup's pids limit does. Works with cgroup v1 (a ``pids`` hierarchy)
and v2 (when our cgroup delegates the pids controller).
"""

from __future__ import annotations

import functools
import itertools
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_names = itertools.count(1)


@functools.cache
def pids_parent() -> Path | None:
    """Where we can create a child cgroup that has a pids limit (tried once), if anywhere."""
    parent = _candidate_parent()
    if parent is None:
        return None
    trial = parent / f"provenfix-{os.getpid()}-probe"
    try:
        trial.mkdir()
        usable = (trial / "pids.max").exists()
    except OSError:
        return None
    _remove(trial)
    return parent if usable else None


def _candidate_parent() -> Path | None:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        hierarchy, controllers, rel = line.split(":", 2)
        if "pids" in controllers.split(","):
            base = Path("/sys/fs/cgroup/pids")
        elif hierarchy == "0" and controllers == "":
            base = Path("/sys/fs/cgroup")
            if not (base / "cgroup.controllers").exists():
                base = Path("/sys/fs/cgroup/unified")
        else:
            continue
        parent = base / rel.lstrip("/")
        if parent.is_dir() and os.access(parent, os.W_OK):
            return parent
    return None


@contextmanager
def pids_cgroup(max_procs: int) -> Iterator[Path | None]:
    """A fresh cgroup allowing ``max_procs`` tasks, removed (and emptied) on exit; None if impossible."""
    parent = pids_parent()
    if parent is None:
        yield None
        return
    path = parent / f"provenfix-{os.getpid()}-{next(_names)}"
    try:
        path.mkdir()
        (path / "pids.max").write_text(str(max_procs))
    except OSError:
        _remove(path)
        yield None
        return
    try:
        yield path
    finally:
        _remove(path)


def _remove(path: Path) -> None:
    if not path.exists():
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            pids = [int(p) for p in (path / "cgroup.procs").read_text().split()]
        except OSError:
            break
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.01)
    try:
        path.rmdir()
    except OSError:
        pass


def limit_hit(path: Path | None) -> bool:
    """Whether the cgroup refused a fork."""
    if path is None:
        return False
    try:
        events = (path / "pids.events").read_text().split()
    except OSError:
        return False
    return "max" in events and events[events.index("max") + 1] != "0"
