"""Cgroups for a sandboxed run, when the host lets us make them: a memory limit for the whole
run and, where the run stays uid 0, a process limit.

RLIMIT_AS bounds each process, not the run: forks multiply it, and tmpfs pages (the run's
copy lives on /dev/shm) count against no rlimit at all. A memory cgroup bounds all of it,
since tmpfs pages are charged to the cgroup that wrote them. RLIMIT_NPROC does not bind
uid 0; a cgroup's ``pids.max`` does. Works with cgroup v1 (one hierarchy per controller)
and v2 (one cgroup, when ours delegates the controllers).
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
# Each controller's limit file, by cgroup version: v2 first.
_LIMIT_FILES = {"pids": ("pids.max",), "memory": ("memory.max", "memory.limit_in_bytes")}


@functools.cache
def parent_for(controller: str) -> Path | None:
    """Where we can create a child cgroup that has ``controller``'s limit (tried once), if anywhere."""
    parent = _candidate_parent(controller)
    if parent is None:
        return None
    trial = parent / f"provenfix-{os.getpid()}-probe-{controller}"
    try:
        trial.mkdir()
        usable = any((trial / name).exists() for name in _LIMIT_FILES[controller])
    except OSError:
        return None
    _remove(trial)
    return parent if usable else None


def _candidate_parent(controller: str) -> Path | None:
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        hierarchy, controllers, rel = line.split(":", 2)
        if controller in controllers.split(","):
            base = Path("/sys/fs/cgroup") / controller
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
def run_cgroups(*, max_procs: int | None, memory_bytes: int | None) -> Iterator[list[Path]]:
    """Fresh cgroups holding the limits asked for (None: not asked) that the host allows; each is
    emptied and removed on exit. The run joins every one of them."""
    limits = {"pids": max_procs, "memory": memory_bytes}
    made: dict[Path, Path] = {}  # parent → our child (v2: one child carries every controller)
    try:
        for controller, value in limits.items():
            parent = parent_for(controller) if value is not None else None
            if parent is None or value is None:
                continue
            if parent not in made:
                made[parent] = parent / f"provenfix-{os.getpid()}-{next(_names)}"
                made[parent].mkdir()
            _set_limit(made[parent], controller, value)
    except OSError:  # the host changed its mind: run without
        for child in made.values():
            _remove(child)
        made = {}
    try:
        yield list(made.values())
    finally:
        for child in made.values():
            _remove(child)


def _set_limit(path: Path, controller: str, value: int) -> None:
    if controller == "pids":
        (path / "pids.max").write_text(str(value))
    elif (path / "memory.max").exists():
        (path / "memory.max").write_text(str(value))
        if (path / "memory.swap.max").exists():
            (path / "memory.swap.max").write_text("0")
    else:
        (path / "memory.limit_in_bytes").write_text(str(value))
        if (path / "memory.memsw.limit_in_bytes").exists():  # no escaping the limit into swap
            (path / "memory.memsw.limit_in_bytes").write_text(str(value))


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


def limit_hit(paths: list[Path]) -> bool:
    """Whether a cgroup of the run refused a fork."""
    for path in paths:
        try:
            events = (path / "pids.events").read_text().split()
        except OSError:
            continue
        if "max" in events and events[events.index("max") + 1] != "0":
            return True
    return False


def memory_limit_hit(paths: list[Path]) -> bool:
    """Whether the run reached its memory limit (and so may have been killed for it)."""
    for path in paths:
        try:
            if (path / "memory.events").exists():
                events = (path / "memory.events").read_text().split()
                if "oom_kill" in events and events[events.index("oom_kill") + 1] != "0":
                    return True
            elif int((path / "memory.failcnt").read_text() or 0) > 0:
                return True
        except (OSError, ValueError):
            continue
    return False
