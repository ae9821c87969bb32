"""`--apply`: write verified patches and their proof tests into the user's tree, inside it only.

The tree is hostile input: its names and symlinks are the attacker's. Each target is reached
from the project root one folder at a time, through folder fds opened with O_NOFOLLOW, so a
symlink anywhere on the way (even one swapped in after the check) is refused, never followed;
'..' and absolute paths are refused before any lookup, so nothing can land outside the root.

Two phases. First every file is written to a temporary in the folder it goes to, flushed to
disk and given the owner, group and mode it must end with (a replaced file keeps its own; a new
one takes its folder's). Only when all are ready are they renamed into place, with Ctrl-C held
off. So a full disk, a read-only mount or Ctrl-C before the renames leaves the tree as it was,
and no temporary is left behind.

A file that cannot be written safely (a symlink on its way, changed since it was read, read-only,
the patched text not encodable in the file's own encoding) is refused with a one-line reason,
and so is every other file of the same fix: no fix is half applied. Runs on one project take
turns (an flock on its root folder), so a second run sees the first one's writes and refuses.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from provenfix.errors import ApplyInterrupted
from provenfix.workspace import decode_source

TMP_SUFFIX = ".provenfix-tmp"
NEW_FILE_MODE = 0o644
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


@dataclass
class Applied:
    written: list[str] = field(default_factory=list)  # relative paths, in the order they were put in place
    refused: list[str] = field(default_factory=list)  # one line per file not written, saying why
    failed: str | None = None  # one line: a write failed; nothing after `written` was put in place


class _Refused(Exception):
    """This file, and its fix, are not written; ``str()`` is the reason."""


@dataclass
class _Target:
    rel: str
    data: bytes
    mode: int
    owner: tuple[int, int]  # uid, gid the file ends with
    dir_fd: int  # the deepest existing folder on its way; after _make_folders, its own folder
    missing: list[str]  # folders still to create below dir_fd, outermost first
    tmp: str | None = None


def apply_changes(root: Path, files: dict[str, tuple[str, str | None]], fixes: Iterable[set[str]] = (),
                  waiting: Callable[[str], None] = lambda _: None) -> Applied:
    """Write each `relative path → (new text, text as it was read; None for a new file)` under `root`.

    `fixes` groups paths that stand or fall together (a fix's patched files and its proof test).
    Refusals and a failed write are returned, never raised; Ctrl-C raises ApplyInterrupted.
    """
    result = Applied()
    targets: list[_Target] = []
    created: list[tuple[int, str]] = []  # folders this run made: (parent fd, name), removed if left empty
    root_fd: int | None = None
    current: _Target | None = None
    try:
        try:
            root_fd = os.open(root, _DIR_FLAGS)
            _lock(root_fd, waiting)
            refusals: dict[str, str] = {}
            for rel, (text, expected) in sorted(files.items()):
                try:
                    targets.append(_locate(root_fd, rel, text, expected))
                except _Refused as exc:
                    refusals[rel] = str(exc)
            companions = _with_their_fixes(refusals, fixes, files)
            dropped = set(refusals) | set(companions)
            # Causes first, then the files that go with them.
            result.refused = [f"not applied: {why[rel]}" for why in (refusals, companions) for rel in sorted(why)]
            keep = [t for t in targets if t.rel not in dropped]
            for current in keep:  # phase 1: temporaries only; no file the user has is changed yet
                _make_folders(current, created)
                _write_temporary(current)
            with _sigint_held():  # phase 2: quick renames that Ctrl-C must not split
                for current in keep:
                    os.rename(current.tmp, current.rel.rsplit("/", 1)[-1], src_dir_fd=current.dir_fd,
                              dst_dir_fd=current.dir_fd)
                    current.tmp = None
                    result.written.append(current.rel)
        except OSError as exc:  # a full disk, a read-only mount, a vanished root: stop, say how far it got
            done = f"stopped after writing {', '.join(result.written)}" if result.written else "wrote nothing"
            result.failed = f"--apply {done}: {current.rel if current else root}: {exc.strerror or exc}"
        finally:
            with _sigint_held():  # Ctrl-C here must not leave temporaries behind either
                _clean_up(targets, created)
                if root_fd is not None:
                    os.close(root_fd)  # releases the lock
    except KeyboardInterrupt as exc:
        raise ApplyInterrupted(result.written) from exc
    return result


def _clean_up(targets: list[_Target], created: list[tuple[int, str]]) -> None:
    for target in targets:
        if target.tmp is not None:
            with suppress(OSError):
                os.unlink(target.tmp, dir_fd=target.dir_fd)
    for parent, name in reversed(created):
        with suppress(OSError):  # only empty ones go: a folder something was written to stays
            os.rmdir(name, dir_fd=parent)
    for fd in {t.dir_fd for t in targets} | {p for p, _ in created}:
        os.close(fd)


def _lock(root_fd: int, waiting: Callable[[str], None]) -> None:
    try:
        fcntl.flock(root_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        waiting("waiting for another provenfix --apply on this project")
        fcntl.flock(root_fd, fcntl.LOCK_EX)


def _parts(rel: str) -> list[str]:
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") or "\0" in p for p in parts):
        raise _Refused(f"{rel!r}: not a plain relative path inside the project")
    return parts


def _locate(root_fd: int, rel: str, text: str, expected: str | None) -> _Target:
    """Walk to the file's folder without following anything; check the file and encode the new text."""
    parts = _parts(rel)
    fd = os.dup(root_fd)
    try:
        for i, part in enumerate(parts[:-1]):
            try:
                sub = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if expected is not None:
                    raise _Refused(f"{rel}: no longer exists") from None
                return _new_file(rel, text, fd, parts[i:-1])
            except OSError as exc:
                raise _Refused(f"{rel}: {_not_a_folder(fd, part, parts[: i + 1], exc)}") from None
            os.close(fd)
            fd = sub
        try:
            st = os.stat(parts[-1], dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            if expected is not None:
                raise _Refused(f"{rel}: no longer exists") from None
            return _new_file(rel, text, fd, [])
        if expected is None:
            raise _Refused(f"{rel}: already exists")
        if stat.S_ISLNK(st.st_mode):
            raise _Refused(f"{rel}: is a symlink; --apply never writes through one")
        if not stat.S_ISREG(st.st_mode):
            raise _Refused(f"{rel}: not a regular file")
        _writable(rel, fd, st)
        raw = _read(rel, fd, parts[-1], st)
        try:
            old, encoding = decode_source(raw)
        except (SyntaxError, UnicodeDecodeError):
            old, encoding = None, ""
        if old != expected:
            raise _Refused(f"{rel}: changed since it was scanned (run provenfix again)")
        return _Target(rel, _encode(rel, text, encoding), stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid), fd, [])
    except OSError as exc:  # e.g. a folder we may not search: this file cannot be checked, so not written
        os.close(fd)
        raise _Refused(f"{rel}: cannot check it ({exc.strerror or exc})") from None
    except BaseException:
        os.close(fd)
        raise


def _new_file(rel: str, text: str, fd: int, missing: list[str]) -> _Target:
    """A new file (and the folders it needs) belongs to whoever owns the folder it lands in."""
    folder = os.fstat(fd)
    _writable(rel, fd, None)
    return _Target(rel, _encode(rel, text, "utf-8"), NEW_FILE_MODE, (folder.st_uid, folder.st_gid), fd, missing)


def _not_a_folder(fd: int, part: str, path: list[str], exc: OSError) -> str:
    try:
        link = stat.S_ISLNK(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode)
    except OSError:
        link = False
    shown = "/".join(path)
    if link:
        return f"{shown} is a symlink; --apply never writes through one"
    return f"{shown} cannot be opened as a folder ({exc.strerror or exc})"


def _writable(rel: str, fd: int, st: os.stat_result | None) -> None:
    """Honour read-only marks even as root, who could write anyway: the user set them for a reason."""
    if st is not None and not st.st_mode & 0o222:
        raise _Refused(f"{rel}: read-only (mode {stat.S_IMODE(st.st_mode):o})")
    if not os.fstat(fd).st_mode & 0o222:
        raise _Refused(f"{rel}: its folder is read-only")


def _read(rel: str, fd: int, name: str, st: os.stat_result) -> bytes:
    try:
        # O_NONBLOCK: a FIFO swapped in since the stat must not hang us; the inode check catches it.
        rfd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=fd)
    except OSError as exc:
        raise _Refused(f"{rel}: cannot read it back before writing ({exc.strerror or exc})") from None
    with os.fdopen(rfd, "rb") as fh:
        now = os.fstat(rfd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise _Refused(f"{rel}: changed since it was scanned (run provenfix again)")
        return fh.read()


def _encode(rel: str, text: str, encoding: str) -> bytes:
    """The text in the file's own encoding (a BOM kept); it must read back as exactly what was verified."""
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise _Refused(f"{rel}: the fix's text has {text[exc.start]!r}, which its encoding {encoding} "
                       "cannot represent") from None
    try:
        same = decode_source(data)[0] == text
    except (SyntaxError, UnicodeDecodeError):
        same = False
    if not same:
        raise _Refused(f"{rel}: the fix changes how the file declares its encoding")
    return data


def _with_their_fixes(refusals: dict[str, str], fixes: Iterable[set[str]], files: dict) -> dict[str, str]:
    """The other files of every fix one of whose files is refused (transitively: fixes sharing a file
    were verified together), each with its one-line reason."""
    groups = [set(g) for g in fixes]
    dropped = set(refusals)
    companions: dict[str, str] = {}
    grew = True
    while grew:
        grew = False
        for group in groups:
            if group & dropped and not group <= dropped:
                cause = min(group & dropped)
                for rel in sorted(group - dropped):
                    if rel in files:
                        companions[rel] = f"{rel}: its fix's {cause} was refused"
                dropped |= group
                grew = True
    return companions


def _make_folders(target: _Target, created: list[tuple[int, str]]) -> None:
    for name in target.missing:
        try:
            os.mkdir(name, 0o755, dir_fd=target.dir_fd)
            created.append((os.dup(target.dir_fd), name))
            _chown(lambda uid, gid: os.chown(name, uid, gid, dir_fd=target.dir_fd, follow_symlinks=False),
                   target.owner, os.stat(name, dir_fd=target.dir_fd, follow_symlinks=False))
        except FileExistsError:
            pass  # made for an earlier file of this run, or appeared since: opened without following below
        sub = os.open(name, _DIR_FLAGS, dir_fd=target.dir_fd)
        os.close(target.dir_fd)
        target.dir_fd = sub
    target.missing = []


def _write_temporary(target: _Target) -> None:
    name = target.rel.rsplit("/", 1)[-1]
    target.tmp = f".{name[:80]}.{secrets.token_hex(4)}{TMP_SUFFIX}"  # set first: cleaned up even if open is cut short
    fd = os.open(target.tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600,
                 dir_fd=target.dir_fd)
    try:
        view = memoryview(target.data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        _chown(lambda uid, gid: os.fchown(fd, uid, gid), target.owner, os.fstat(fd))
        os.fchmod(fd, target.mode)  # after chown, which clears set-id bits
    finally:
        os.close(fd)


def _chown(change: Callable[[int, int], None], owner: tuple[int, int], now: os.stat_result) -> None:
    if (now.st_uid, now.st_gid) != owner:
        with suppress(PermissionError):  # not root: a file cannot be given away; it stays the runner's
            change(*owner)


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C until the block is done, then deliver it. Only the main thread can swap handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        signal.raise_signal(signal.SIGINT)
