"""What a sandboxed run sees of the host, and the environment it starts with.

A run sees, read-only: the system's programs and libraries (/usr and its /bin, /lib links),
a handful of files from /etc that programs need to start (never /etc/shadow), and the
directories of the interpreters it runs. Writable: its own copy of the project and its
scratch dir. /tmp and /dev/shm are private, size-limited tmpfs. Nothing else of the host
exists for it: no home folder, no /root, no /run or /var (and so no host Unix socket),
no other project, no /sys; /proc is its own pid namespace's.

Which directories an interpreter needs is decided without running it: the interpreter
may be the scanned project's own (a ``.venv/bin/python`` it committed), and nothing the
project provides runs outside the sandbox. Its symlink chain and its ``pyvenv.cfg`` name
candidate prefixes; only a prefix that really is a Python installation or a virtual
environment is bound, so a hostile link or ``pyvenv.cfg`` cannot expose, say, /root.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
PRIVATE_DIRS = ("/tmp", "/dev/shm")
ETC_ENTRIES = (
    "passwd", "group", "hosts", "host.conf", "nsswitch.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d",
    "localtime", "alternatives", "ssl", "ca-certificates", "mime.types", "protocols", "services",
)  # fmt: skip
# Device nodes a run may use when /dev is rebuilt by our own shim (bwrap makes its own /dev).
DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
# The only variables a run inherits; everything else (keys, tokens, DSNs, webhooks, whatever
# they are called) stays out. HOME and TMPDIR are set to the run's scratch dir.
PASSED_VARS = frozenset({"PATH", "LANG", "LANGUAGE", "TZ"})
PASSED_PREFIXES = ("LC_",)

_SHIM_DIR = str(Path(__file__).parent)


def inside(path: str, root: str) -> bool:
    """``path`` is ``root`` or below it (``/base_evil`` is not below ``/base``)."""
    return path == root or path.startswith(root.rstrip("/") + "/")


def sandbox_env(home: Path, tmp: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The run's environment: an allow-list of the outer one, homed in the sandbox."""
    env = {k: v for k, v in os.environ.items() if k in PASSED_VARS or k.startswith(PASSED_PREFIXES)}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.update(
        HOME=str(home), TMPDIR=str(tmp), TMP=str(tmp), TEMP=str(tmp),
        PYTHONDONTWRITEBYTECODE="1", PYTHONHASHSEED="0",
    )  # fmt: skip
    env.update(extra or {})
    return env


@dataclass(frozen=True)
class View:
    """The paths bound into a run's filesystem, besides the system dirs and the private tmpfs."""

    writable: tuple[str, ...]  # bound read-write at the same path
    readable: tuple[str, ...]  # bound read-only at the same path
    tmp_bytes: int  # size of each private tmpfs

    def shim_config(self) -> dict[str, object]:
        """The same view, for _sandbox_init.py building it itself (no bwrap)."""
        hidden = sorted({f"/{name}" for name in os.listdir("/")} - {*SYSTEM_DIRS, "/proc", "/tmp"})
        readable = [*self.readable, *_existing(f"/etc/{e}" for e in ETC_ENTRIES), *_existing(DEVICES)]
        return {"writable": list(self.writable), "readable": readable, "private": list(PRIVATE_DIRS),
                "hidden": hidden, "tmp_bytes": self.tmp_bytes}

    def bwrap_argv(self, bwrap: str, *, cwd: str, drop_caps: bool, unshare_user: bool) -> list[str]:
        """bubblewrap, building the view from an empty root."""
        argv = [bwrap, "--die-with-parent", "--unshare-net", "--unshare-pid", "--unshare-ipc"]
        if unshare_user:
            argv += ["--unshare-user", "--disable-userns"]  # no nested user namespace either
        if drop_caps:
            argv += ["--cap-drop", "ALL"]
        for path in SYSTEM_DIRS:
            if os.path.islink(path):
                argv += ["--symlink", os.readlink(path), path]
            elif os.path.isdir(path):
                argv += ["--ro-bind", path, path]
        argv += ["--dir", "/etc"]
        for path in _existing(f"/etc/{e}" for e in ETC_ENTRIES):
            argv += ["--ro-bind", path, path]
        argv += ["--dev", "/dev", "--proc", "/proc"]
        for private in PRIVATE_DIRS:
            argv += ["--perms", "1777", "--size", str(self.tmp_bytes), "--tmpfs", private]
        made: set[str] = set()
        for flag, paths in (("--ro-bind", self.readable), ("--bind", self.writable)):
            for path in paths:
                # Parents are made traversable (0755) in the run's own root, whatever they are on
                # the host: an interpreter under a 0700 /root is reachable, nothing else of /root is.
                for parent in reversed(Path(path).parents):
                    name = str(parent)
                    if name == "/" or name in made or name in PRIVATE_DIRS or _under_system(name):
                        continue
                    argv += ["--perms", "0755", "--dir", name]
                    made.add(name)
                argv += [flag, path, path]
                made.add(path)
        return [*argv, "--remount-ro", "/", "--chdir", cwd]


def view_for(writable: Iterable[Path], pythons: Iterable[str], *, tmp_bytes: int, command: str | None = None) -> View:
    """The view of a run that writes ``writable`` and runs ``pythons`` (and our own shim); ``command``,
    the program it starts, is bound on its own when it is a plain file (a symlink could name any file)."""
    write = _outermost(str(Path(p).resolve()) for p in writable)
    read = {*own_dirs()}
    for python in pythons:
        read.update(python_dirs(python))
    if command is not None and os.path.isfile(command) and not os.path.islink(command):
        read.add(os.path.abspath(command))
    kept = [p for p in read if os.path.exists(p) and not _under_system(p) and not any(inside(p, w) for w in write)]
    return View(writable=tuple(write), readable=tuple(_outermost(kept)), tmp_bytes=tmp_bytes)


def own_dirs() -> list[str]:
    """What our shim needs: the interpreter running ProvenFix (its standard library) and the shim's folder."""
    paths = [*python_dirs(sys.executable), sys.base_prefix, sys.base_exec_prefix, _SHIM_DIR]
    return [q for p in paths for q in (os.path.normpath(p), os.path.realpath(p))]


@functools.cache
def python_dirs(python: str) -> tuple[str, ...]:
    """The installation and virtual environment directories of ``python``, found without running it."""
    found: list[str] = []
    for step in _link_chain(python):
        for prefix in _prefixes_of(step):
            if _is_python_home(prefix):
                found.append(prefix)
                home = _venv_home(prefix)
                if home is not None:
                    found += [p for p in _prefixes_of(os.path.join(home, "python")) if _is_python_home(p)]
                found += _linked_site_packages(prefix)
    return tuple(found + [os.path.realpath(p) for p in found])


def _link_chain(path: str, limit: int = 16) -> list[str]:
    """``path``, then every path its symlinks lead to (each made absolute), up to ``limit`` hops."""
    chain = [os.path.abspath(path)]
    for _ in range(limit):
        current = chain[-1]
        if not os.path.islink(current):
            break
        chain.append(os.path.normpath(os.path.join(os.path.dirname(current), os.readlink(current))))
    return chain


def _prefixes_of(executable: str) -> list[str]:
    """``/x/bin/python`` → ``/x`` (and the folder itself, for layouts without ``bin``)."""
    folder = os.path.dirname(executable)
    return [os.path.dirname(folder), folder] if os.path.basename(folder) in ("bin", "Scripts") else [folder]


def _is_python_home(prefix: str) -> bool:
    """A virtual environment (``pyvenv.cfg``) or an installation with its standard library."""
    if prefix in ("", "/") or os.path.islink(prefix):
        return False
    if os.path.isfile(os.path.join(prefix, "pyvenv.cfg")):
        return True
    lib = os.path.join(prefix, "lib")
    try:
        names = os.listdir(lib)
    except OSError:
        return False
    return any(re.fullmatch(r"python3(\.\d+)?t?", n) and os.path.isfile(os.path.join(lib, n, "os.py")) for n in names)


def _linked_site_packages(prefix: str) -> list[str]:
    """Other environments' package folders that ``.pth`` files of ``prefix`` add to the path. Only
    folders named site-packages or dist-packages: a ``.pth`` line is the project's to write."""
    found = []
    for pth in Path(prefix).glob("lib/python3*/site-packages/*.pth"):
        try:
            lines = pth.read_text(errors="replace").splitlines()
        except OSError:
            continue
        found += [ln.strip() for ln in lines if os.path.isabs(ln.strip())
                  and os.path.basename(ln.strip().rstrip("/")) in ("site-packages", "dist-packages")
                  and os.path.isdir(ln.strip()) and not os.path.islink(ln.strip())]
    return found


def _venv_home(prefix: str) -> str | None:
    try:
        text = Path(prefix, "pyvenv.cfg").read_text(errors="replace")
    except OSError:
        return None
    match = re.search(r"^\s*home\s*=\s*(.+?)\s*$", text, re.MULTILINE)
    return match.group(1) if match and os.path.isabs(match.group(1)) else None


def _under_system(path: str) -> bool:
    return any(inside(path, d) for d in SYSTEM_DIRS)


def _existing(paths: Iterable[str]) -> list[str]:
    return [p for p in paths if os.path.exists(p)]


def _outermost(paths: Iterable[str]) -> list[str]:
    unique = sorted(set(paths))
    return [p for p in unique if not any(inside(p, q) and p != q for q in unique)]
