"""`--apply`: write verified patches and their proof tests into the user's tree, atomically.

Each file is written to a temporary sibling, flushed to disk, then renamed over the
original, so a crash or Ctrl-C leaves every file either old or new. A file that changed
since it was read is refused, never overwritten.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from provenfix.errors import ApplyError


def write_atomic(path: Path, text: str, *, expected: str | None) -> None:
    """Replace `path` with `text`; `expected` is what the file held when it was read (None: new file)."""
    if expected is not None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ApplyError(f"{path}: cannot read it back before writing ({exc.strerror})") from exc
        bom = raw.startswith(b"\xef\xbb\xbf")
        if raw.decode("utf-8-sig", errors="replace") != expected:
            raise ApplyError(f"{path}: changed since it was scanned; not overwritten (run provenfix again)")
        mode = path.stat().st_mode & 0o7777
    else:
        if path.exists():
            raise ApplyError(f"{path}: already exists; not overwritten")
        bom, mode = False, 0o644
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".provenfix-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply_changes(root: Path, files: dict[str, tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """Write each `path → (new text, text when read)`; return (written paths, one-line errors)."""
    written, errors = [], []
    for rel, (text, expected) in sorted(files.items()):
        try:
            write_atomic(root / rel, text, expected=expected)
            written.append(rel)
        except ApplyError as exc:
            errors.append(str(exc))
    return written, errors
