"""Run code we do not trust (project tests, patched code, proof tests) in a sandbox.

All process spawning in ProvenFix lives in this module.

Layers, each used when the host allows it (``isolation_level`` says which were):

* a copy of the project: runs are handed a throw-away tree, never the user's;
* a minimal, read-only view of the host (``_view.py``): with bubblewrap (``bwrap``), or
  failing that util-linux ``unshare --mount`` plus ``_sandbox_init.py`` building it, the run
  sees the system's programs and libraries, a few files of /etc and its interpreter's own
  directories, read-only; its copy and scratch dir writable; a private, size-limited tmpfs
  on /tmp and /dev/shm. No home, /root, /run (host sockets), /var or other project exists
  for it. A run that stays uid 0 keeps no capability, so it cannot remount anything;
* new network + pid namespaces (bwrap, or ``unshare``; with a user namespace when not
  root): no network at all, no other process visible, and killing the namespace's init
  kills every process the run started, wherever it double-forked to;
* an unprivileged, per-run uid when we are root, with no capability and an empty bounding
  set: RLIMIT_NPROC is not enforced for uid 0, so a fork bomb is only stopped if the tests
  run as someone else; a uid of its own also means the run cannot signal or ptrace anything
  else on the host, and that ``kill(-1)`` under that uid is an exact clean-up when there is
  no pid namespace;
* cgroups when the host lets us make them: a memory limit for the whole run (forks and
  tmpfs pages included), and ``pids.max`` when the run stays uid 0;
* rlimits: address space, CPU time, file size, no core dumps, process count;
* an allow-listed environment (PATH, locale, time zone), with HOME and TMPDIR inside the
  run's scratch dir: no key, token or DSN reaches a run, whatever its name.

Every interpreter a run uses, the project's own included, is started only inside the box.

A run's command line is ``bwrap ... -- python _sandbox_init.py CONFIG -- ARGV``: bwrap
sets up the namespaces and mounts, then the shim (inside) applies rlimits and drops the
uid, or every capability, and execs the command. With cgroups, a first shim joins them
before bwrap, as /sys is not there inside. Without bwrap it is ``unshare ... -- shim``,
and the shim makes the mounts itself. ``PROVENFIX_BWRAP`` names another bwrap binary,
or (empty) turns bwrap off.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from provenfix.errors import ProvenFixError
from provenfix.model import RunResult
from provenfix.verify import _cgroup, _results
from provenfix.verify._view import View, sandbox_env, view_for

_HERE = Path(__file__).parent
_PROBE_MODULE = "_provenfix_probe"
_TAIL_LINES = 40
_POLL_S = 0.05

_SKIP_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".pytest_cache", ".provenfix-cache", "build", "dist"}
)

# Per-run uids come from a range no real account uses: base + (pid, counter).
_UID_BASE = 0x60000000
_uid_counter = itertools.count(1)
_uid_lock = threading.Lock()


class SandboxError(ProvenFixError):
    """The sandbox itself could not be set up (not a failing test)."""


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 120.0
    per_test_timeout_s: float = 30.0
    memory_mb: int = 2048
    max_procs: int = 256
    file_mb: int = 1024


@dataclass(frozen=True)
class SandboxRun:
    """A finished sandboxed command, as the parent saw it."""

    exit_code: int | None  # None when we had to kill it
    duration_s: float
    output_tail: str
    timed_out: bool
    limit_hit: bool  # a fork was refused for lack of processes


# --------------------------------------------------------------------------- copies


def _skip_dir(name: str) -> bool:
    return name in _SKIP_DIRS or name.endswith(".egg-info")


def copy_project(root: Path, dest: Path) -> None:
    """Copy a project tree for a throw-away run.

    Tool and VCS directories are skipped. A symlink is kept only if it resolves inside
    the project, and is rewritten relative so the copy's link points into the copy,
    never back into the user's tree.
    """
    root = root.resolve()
    dest.mkdir(parents=True, exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        target = dest / here.relative_to(root)
        kept = []
        for name in dirnames:
            if _skip_dir(name):
                continue
            if (here / name).is_symlink():
                _copy_link(root, here / name, target / name)
            else:
                (target / name).mkdir(exist_ok=True)
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            src = here / name
            if src.is_symlink():
                _copy_link(root, src, target / name)
            elif src.is_file():
                shutil.copy2(src, target / name, follow_symlinks=False)


def _copy_link(root: Path, link: Path, dest: Path) -> None:
    try:
        resolved = link.resolve()
    except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13): nothing to copy
        return
    if resolved == root or root in resolved.parents:
        os.symlink(os.path.relpath(resolved, link.parent), dest)


def _scratch_parent() -> str | None:
    """Memory-backed /dev/shm when it is writable: throw-away copies need no disk, and
    projects whose tests commit to SQLite run several times faster without fsync."""
    shm = "/dev/shm"
    if os.environ.get("PROVENFIX_SCRATCH"):
        return os.environ["PROVENFIX_SCRATCH"]
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


@contextmanager
def scratch_dir(prefix: str = "provenfix-") -> Iterator[Path]:
    """A temporary directory a sandboxed run (possibly under another uid) can reach."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=_scratch_parent()))
    try:
        path.chmod(0o711)  # traversable, not listable, by the sandbox uid
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- isolation plan


def _is_root() -> bool:
    return os.geteuid() == 0


def _next_uid() -> int:
    with _uid_lock:
        n = next(_uid_counter)
    return _UID_BASE + ((os.getpid() & 0x3FFFFF) << 8) + (n & 0xFF)


def _shim_argv(config: Mapping[str, object]) -> list[str]:
    return [sys.executable, "-I", "-S", str(_HERE / "_sandbox_init.py"), json.dumps(config)]


def _bwrap_binary() -> str | None:
    """bubblewrap, if installed; PROVENFIX_BWRAP names another binary, or "" to not use one."""
    configured = os.environ.get("PROVENFIX_BWRAP")
    if configured is not None:
        return shutil.which(configured) if configured else None
    return shutil.which("bwrap")


def _unshare_argv(unshare: str, *, mount: bool) -> tuple[str, ...]:
    # Root creates the namespaces directly (a user namespace would map the run back to
    # uid 0 and defeat the uid drop); anyone else needs a user namespace to be allowed to.
    user = () if _is_root() else ("--user", "--map-root-user")
    fs = ("--mount", "--propagation", "private", "--mount-proc") if mount else ()
    return (unshare, *user, *fs, "--net", "--pid", "--fork", "--kill-child")


@dataclass(frozen=True)
class _Box:
    """The namespaces a run gets, and how."""

    kind: Literal["bwrap", "unshare-mount", "unshare", "none"]
    tool: tuple[str, ...] = ()  # bwrap's path, or the unshare prefix

    @property
    def has_namespaces(self) -> bool:
        return self.kind != "none"

    @property
    def read_only_host(self) -> bool:
        return self.kind in ("bwrap", "unshare-mount")

    def wrap(self, view: View, config: dict[str, object], argv: Sequence[str], *, cwd: str) -> list[str]:
        """The full command line: the box, then the shim with ``config``, then ``argv``.

        ``config["drop_caps"]`` (a run that stays uid 0 keeps no capability, or it could
        remount the host writable) is bwrap's job where bwrap is the box."""
        if self.kind == "bwrap":
            outer: list[str] = []
            if config.get("cgroups"):  # joined before the box: /sys is not there inside
                outer = [*_shim_argv({"cgroups": config["cgroups"]}), "--"]
            inner = {**config, "cgroups": None, "drop_caps": False}
            box = view.bwrap_argv(self.tool[0], cwd=cwd, drop_caps=bool(config.get("drop_caps")) and _is_root(),
                                  unshare_user=not _is_root())
            return [*outer, *box, *_shim_argv(inner), "--", *argv]
        if self.kind == "unshare-mount":
            config = {**config, "fs": view.shim_config()}
        return [*self.tool, *_shim_argv(config), "--", *argv]


# Run inside a candidate box: its own dir is writable, / is mounted read-only, a file written
# next to its dir (which a private /dev/shm or /tmp may allow) never reaches the host, and a
# host file outside the view cannot be read.
_VIEW_CHECK = (
    "import os, sys\n"
    "open(sys.argv[1], 'w').write('ok')\n"
    "try:\n    open(sys.argv[2], 'w').write('escaped')\nexcept OSError:\n    pass\n"
    "try:\n    open(sys.argv[3]).read()\n    sys.exit(2)\nexcept OSError:\n    pass\n"
    "sys.exit(0 if os.statvfs('/').f_flag & os.ST_RDONLY else 1)\n"
)


def _view_works(box: _Box) -> bool:
    with scratch_dir("provenfix-check-") as scratch:
        inside = scratch / "inside"
        inside.mkdir()
        inside.chmod(0o777)
        scratch.chmod(0o777)  # writable by whoever the check runs as: only the sandbox stops it
        outside, hidden = scratch / "outside", scratch / "hidden"
        hidden.write_text("host only")
        view = view_for([inside], [], tmp_bytes=16 * 1024 * 1024)
        cmd = box.wrap(view, {}, [sys.executable, "-I", "-S", "-c", _VIEW_CHECK, str(inside / "ok"), str(outside),
                                  str(hidden)], cwd=str(inside))
        try:
            done = subprocess.run(cmd, cwd=inside, capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0 and (inside / "ok").is_file() and not outside.exists()


@functools.cache
def _box() -> _Box:
    """The strongest box that works here (tried once per process)."""
    bwrap = _bwrap_binary()
    if bwrap is not None and _view_works(_Box("bwrap", (bwrap,))):
        return _Box("bwrap", (bwrap,))
    unshare = shutil.which("unshare")
    if unshare is None:
        return _Box("none")
    mount = _Box("unshare-mount", _unshare_argv(unshare, mount=True))
    if _view_works(mount):
        return mount
    plain = _unshare_argv(unshare, mount=False)
    try:
        done = subprocess.run([*plain, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return _Box("none")
    return _Box("unshare", plain) if done.returncode == 0 else _Box("none")


_VIEW = (
    "a minimal read-only view of the host (system libraries, the interpreter, a few files of /etc; no home, "
    "/root, /run or /var); writable: only the run's copy and scratch dir, and a private /tmp and /dev/shm"
)


@dataclass(frozen=True)
class _Plan:
    box: _Box
    uid_mode: Literal["same", "drop"]  # run as ourselves / as a fresh unprivileged uid
    pids_cgroup: bool  # uid 0 stays: a cgroup limits its processes

    @property
    def drops_uid(self) -> bool:
        return self.uid_mode != "same"

    def describe(self) -> str:
        kind = self.box.kind
        if kind == "bwrap":
            parts = [f"bwrap: no network, own pid namespace; {_VIEW}"]
        elif kind == "unshare-mount":
            parts = [f"unshare: no network, own pid namespace, mount namespace; {_VIEW}"]
        elif kind == "unshare":
            parts = [
                "unshare: no network, own pid namespace; host filesystem visible, and writable wherever the run's "
                "user may write (no bwrap, and no usable mount namespace)"
            ]
        else:
            parts = [
                "none: network not isolated (unshare unavailable); host filesystem visible, and writable wherever "
                "the run's user may write"
            ]
        if not _is_root():
            parts.append("rlimits (memory, CPU, processes)")
        elif self.uid_mode == "drop":
            parts.append("unprivileged per-run uid, no capabilities; rlimits (memory, CPU, processes)")
        elif self.pids_cgroup:
            parts.append("runs as root, no capabilities (interpreter not runnable by an unprivileged uid); "
                         "cgroup pids limit")
        else:
            parts.append("runs as root, no capabilities: process count NOT limited (no usable uid or cgroup)")
        if _cgroup.parent_for("memory") is not None:
            parts.append("cgroup memory limit for the whole run")
        return "; ".join(parts)


# Prints what identifies the interpreter's setup; an unprivileged uid must see the same.
_PYTHON_FINGERPRINT = (
    "import os, sys; os.listdir(sys.argv[1])\n"
    "try:\n import pytest; p = pytest.__file__\n"
    "except ImportError:\n p = None\n"
    "print(sys.version, sys.prefix, os.__file__, p)"
)


def _fingerprint(box: _Box, python: str, uid: int | None) -> bytes | None:
    """The interpreter's fingerprint as seen inside the box by ``uid`` (None: as ourselves, without
    capabilities), or None if it fails. It may be the project's own interpreter: it runs boxed, with
    the run's environment, like everything else the project provides."""
    with scratch_dir("provenfix-check-") as scratch:
        if uid is not None:
            os.chown(scratch, uid, uid)
        view = view_for([scratch], [python], tmp_bytes=16 * 1024 * 1024)
        config = {"uid": uid, "rlimits": {}, "drop_caps": uid is None and (_is_root() or box.has_namespaces)}
        argv = box.wrap(view, config, [python, "-c", _PYTHON_FINGERPRINT, str(scratch)], cwd=str(scratch))
        try:
            done = subprocess.run(argv, cwd=scratch, capture_output=True, timeout=60, check=False,
                                  env=sandbox_env(scratch, scratch), stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout if done.returncode == 0 else None


@functools.cache
def _plan_for(python: str) -> _Plan:
    box = _box()
    if not _is_root():
        return _Plan(box, "same", pids_cgroup=False)
    # As root, RLIMIT_NPROC is not enforced, so the tests must run as another uid. That
    # uid must see the very same interpreter and packages (a python under a 0700 home
    # may otherwise start with some other stdlib it happens to find).
    expected = _fingerprint(box, python, None)
    seen = _fingerprint(box, python, _next_uid())
    if seen is not None and (expected is None or seen == expected):
        return _Plan(box, "drop", pids_cgroup=False)
    return _Plan(box, "same", pids_cgroup=_cgroup.parent_for("pids") is not None)


def isolation_level(python: str | None = None) -> str:
    """Describe, once per interpreter, the isolation a sandboxed run gets on this host."""
    return _plan_for(_resolve_python(python or sys.executable)).describe()


# --------------------------------------------------------------------------- running


def _resolve_python(python: str) -> str:
    found = shutil.which(python)
    if found is None:
        raise SandboxError(f"python interpreter not found: {python}")
    return os.path.abspath(found)


def _reachable_by_others(path: Path) -> bool:
    """Every ancestor is searchable by 'other', so a foreign uid can reach ``path``."""
    for parent in path.resolve().parents:
        if not parent.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def _chown_tree(path: Path, uid: int) -> None:
    os.lchown(path, uid, uid)
    for dirpath, dirnames, filenames in os.walk(path):
        for name in (*dirnames, *filenames):
            os.lchown(os.path.join(dirpath, name), uid, uid)


def _rlimits(limits: Limits) -> dict[str, tuple[int, int]]:
    cpu = math.ceil(limits.timeout_s) + 1
    memory = limits.memory_mb * 1024 * 1024
    size = limits.file_mb * 1024 * 1024
    return {
        "RLIMIT_AS": (memory, memory),
        "RLIMIT_CPU": (cpu, cpu + 2),
        "RLIMIT_FSIZE": (size, size),
        "RLIMIT_CORE": (0, 0),
    }


def _own_process_count() -> int | None:
    """How many processes our uid has (RLIMIT_NPROC counts them all), or None without /proc."""
    uid = os.getuid()
    count = 0
    try:
        entries = list(os.scandir("/proc"))
    except OSError:
        return None
    for entry in entries:
        if entry.name.isdigit():
            try:
                count += entry.stat().st_uid == uid
            except OSError:
                pass
    return count


def _tail(path: Path, lines: int = _TAIL_LINES) -> str:
    with path.open("rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 64 * 1024))
        text = f.read().decode("utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _group_running(pgid: int) -> bool:
    """Whether a process of the group is still running (zombies are done; init reaps them)."""
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:
        entries = list(os.scandir("/proc"))
    except OSError:
        return False
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in (b"Z", b"X"):
            return True
    return False


def _await_group_exit(pgid: int, timeout_s: float = 5.0) -> None:
    """Wait until nothing of the killed group runs any more (say, a namespace's init, which
    only finishes exiting once the kernel has killed everything in its namespace)."""
    deadline = time.monotonic() + timeout_s
    while _group_running(pgid) and time.monotonic() < deadline:
        time.sleep(0.005)


class _RunDir:
    """The scratch area of one run: home, tmp and probe output for the sandbox, a log for us."""

    def __init__(self, base: Path, uid: int | None) -> None:
        self.base = base
        self.home = base / "home"
        self.tmp = base / "tmp"
        self.out = base / "out"
        self.probe = base / "probe"
        self.log = base / "output.log"
        for d in (self.home, self.tmp, self.out, self.probe):
            d.mkdir()
        for d in (self.home, self.tmp, self.out):
            if uid is not None:
                os.chown(d, uid, uid)
        self.probe.chmod(0o755)
        shutil.copyfile(_HERE / "_pytest_probe.py", self.probe / f"{_PROBE_MODULE}.py")
        (self.probe / "pytest.ini").write_text("[pytest]\n")
        self.results = self.out / "results.jsonl"
        self.limit_marker = self.out / "limit"


def _execute(
    argv: Sequence[str],
    cwd: Path,
    plan: _Plan,
    limits: Limits,
    run_dir: _RunDir,
    uid: int | None,
    env: Mapping[str, str],
    python: str,
) -> SandboxRun:
    pids = limits.max_procs if plan.pids_cgroup else None
    with _cgroup.run_cgroups(max_procs=pids, memory_bytes=limits.memory_mb * 1024 * 1024) as cgroups:
        nproc: int | None = limits.max_procs
        if not _is_root() and not plan.box.has_namespaces:
            # Outside a user namespace RLIMIT_NPROC counts all our processes, not just the run's.
            own = _own_process_count()
            nproc = None if own is None else own + limits.max_procs
        elif _is_root() and uid is None:
            nproc = None  # not enforced for root; the cgroup (if any) does the job
        config = {
            "uid": uid,
            "drop_caps": uid is None and (_is_root() or plan.box.has_namespaces),
            "rlimits": _rlimits(limits),
            "nproc": nproc,
            "cgroups": [str(c) for c in cgroups],
        }
        # Tmpfs pages count against the run's memory: its private /tmp and /dev/shm get a quarter each.
        view = view_for([run_dir.base, cwd], [python, argv[0]], tmp_bytes=limits.memory_mb * 1024 * 1024 // 4,
                        command=argv[0])
        cmd = plan.box.wrap(view, config, argv, cwd=str(cwd))
        start = time.monotonic()
        timed_out = limit_hit = False
        with run_dir.log.open("wb") as log:
            try:
                proc = subprocess.Popen(
                    cmd, cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )  # fmt: skip
            except OSError as exc:
                raise SandboxError(f"cannot start the sandbox: {exc}") from exc
            try:
                while True:
                    try:
                        proc.wait(timeout=_POLL_S)
                        break
                    except subprocess.TimeoutExpired:
                        pass
                    if run_dir.limit_marker.exists() or _cgroup.limit_hit(cgroups):
                        limit_hit = True
                        break
                    if time.monotonic() - start > limits.timeout_s:
                        timed_out = True
                        break
            finally:
                _kill_group(proc.pid)
                proc.wait()
                _await_group_exit(proc.pid)
                if uid is not None and not plan.box.has_namespaces:
                    _kill_uid(uid)
        duration = time.monotonic() - start
        limit_hit = limit_hit or run_dir.limit_marker.exists() or _cgroup.limit_hit(cgroups)
        out_of_memory = _cgroup.memory_limit_hit(cgroups)
    exit_code = None if timed_out or limit_hit else proc.returncode
    note = _stop_note(limits, exit_code, timed_out=timed_out, limit_hit=limit_hit, out_of_memory=out_of_memory)
    tail = _tail(run_dir.log, _TAIL_LINES - (1 if note else 0))
    return SandboxRun(
        exit_code=exit_code,
        duration_s=duration,
        output_tail=f"{tail}\n{note}".strip("\n") if note else tail,
        timed_out=timed_out,
        limit_hit=limit_hit,
    )


def _stop_note(limits: Limits, exit_code: int | None, *, timed_out: bool, limit_hit: bool, out_of_memory: bool) -> str:
    """Why the sandbox stopped the run, as the last line of its output, or ""."""
    if timed_out:
        return f"[provenfix sandbox] stopped: the run exceeded its time limit of {limits.timeout_s:g}s"
    if limit_hit:
        return f"[provenfix sandbox] stopped: the limit of {limits.max_procs} processes was reached"
    if exit_code is not None and (exit_code < 0 or exit_code > 128):
        number = -exit_code if exit_code < 0 else exit_code - 128
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        if out_of_memory:
            return f"[provenfix sandbox] killed by {name}: the run reached its memory limit of {limits.memory_mb} MB"
        return f"[provenfix sandbox] killed by {name} (limits: {limits.memory_mb} MB memory, CPU time, file size)"
    return ""


def _kill_uid(uid: int) -> None:
    """Without a pid namespace, clean up by killing every process of the run's own uid."""
    subprocess.run([*_shim_argv({"uid": uid, "kill_all": True})], capture_output=True, timeout=30, check=False)


@contextmanager
def _prepared(project_dir: Path, python: str) -> Iterator[tuple[Path, _Plan, _RunDir, int | None]]:
    plan = _plan_for(python)
    uid = _next_uid() if plan.drops_uid else None
    with scratch_dir("provenfix-run-") as base:
        run_dir = _RunDir(base, uid)
        if uid is not None:
            if not _reachable_by_others(project_dir):
                # e.g. under pytest's 0700 tmp root: run in a copy the sandbox uid can reach
                copy_project(project_dir, base / "project")
                project_dir = base / "project"
            _chown_tree(project_dir, uid)
        yield project_dir, plan, run_dir, uid


def run_sandboxed(
    argv: Sequence[str],
    cwd: Path,
    *,
    python: str | None = None,
    timeout_s: float = 120.0,
    memory_mb: int = 2048,
    max_procs: int = 256,
    extra_env: Mapping[str, str] | None = None,
) -> SandboxRun:
    """Run any command in the sandbox, in ``cwd`` (a throw-away copy: it is handed to the sandbox).

    ``python`` is the interpreter the command ends up running (it decides whether the
    command can run under an unprivileged uid); it defaults to the current one.
    """
    limits = Limits(timeout_s=timeout_s, memory_mb=memory_mb, max_procs=max_procs)
    exe = shutil.which(argv[0])
    if exe is None:
        raise SandboxError(f"command not found: {argv[0]}")
    python = _resolve_python(python or sys.executable)
    with _prepared(cwd, python) as (cwd, plan, run_dir, uid):
        env = sandbox_env(run_dir.home, run_dir.tmp, extra_env)
        return _execute([os.path.abspath(exe), *argv[1:]], cwd, plan, limits, run_dir, uid, env, python)


def _has_pytest_config(project_dir: Path) -> bool:
    if (project_dir / "pytest.ini").is_file() or (project_dir / ".pytest.ini").is_file():
        return True
    markers = {"pyproject.toml": "[tool.pytest.ini_options]", "tox.ini": "[pytest]", "setup.cfg": "[tool:pytest]"}
    for name, marker in markers.items():
        path = project_dir / name
        if path.is_file() and marker in path.read_text(errors="replace"):
            return True
    return False


def run_pytest(
    project_dir: Path,
    test_args: list[str],
    *,
    python: str,
    timeout_s: float = 120,
    per_test_timeout_s: float = 30,
    memory_mb: int = 2048,
    max_procs: int = 256,
    extra_env: dict[str, str] | None = None,
    project_plugins: bool = True,
) -> RunResult:
    """Run ``python -m pytest -q <test_args>`` in ``project_dir`` (a copy) inside the sandbox.

    ``project_plugins=False`` is how our own tests (proof and behaviour tests) run: none of
    the project's conftest files, pytest config or installed pytest plugins is loaded, so no
    hook of the project's can rewrite their reports. Only what the test imports runs.
    """
    python = _resolve_python(python)
    limits = Limits(timeout_s, per_test_timeout_s, memory_mb, max_procs)
    with _prepared(project_dir, python) as (project_dir, plan, run_dir, uid):
        # Pin rootdir and confcutdir to the copy, and give pytest an empty ini when the
        # project has none, so no pytest.ini or conftest.py above it (say in /tmp) applies.
        argv = [python, "-m", "pytest", "-p", "no:cacheprovider", "-p", _PROBE_MODULE, "-q"]
        argv += ["--rootdir", str(project_dir), "--confcutdir", str(project_dir)]
        if not project_plugins:
            argv += ["--noconftest", "-c", str(run_dir.probe / "pytest.ini")]
            if (project_dir / "src").is_dir():  # a src layout, which the project's config would have named
                argv += ["-o", "pythonpath=src"]
        elif not _has_pytest_config(project_dir):
            argv += ["-c", str(run_dir.probe / "pytest.ini")]
        argv += test_args
        env = sandbox_env(run_dir.home, run_dir.tmp, extra_env)
        if not project_plugins:
            env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(run_dir.probe), env.get("PYTHONPATH")]))
        env["PROVENFIX_PROBE_OUT"] = str(run_dir.results)
        env["PROVENFIX_PROBE_LIMIT"] = str(run_dir.limit_marker)
        env["PROVENFIX_TEST_TIMEOUT"] = str(per_test_timeout_s)
        run = _execute(argv, project_dir, plan, limits, run_dir, uid, env, python)
        records = _results.parse(run_dir.results.read_text() if run_dir.results.exists() else "")
    outcome = _results.classify(records, exit_code=run.exit_code, timed_out=run.timed_out, limit_hit=run.limit_hit)
    return RunResult(
        outcome=outcome,
        exit_code=run.exit_code,
        duration_s=round(run.duration_s, 3),
        output_tail=run.output_tail,
        tests=_results.per_test_outcomes(records),
    )
