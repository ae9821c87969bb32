"""`fix --patch FILE`: every verified fix and its proof test as one git-style unified diff.

For those who review before applying: `git apply FILE` (or `patch -p1`) makes the change the
verifier judged. File names are the scanned project's: one that holds a quote, a backslash, a
control or a non-ASCII character is written C-quoted as git writes it, so a name with a line
break cannot start a header of its own. Each file's lines are in the file's own encoding (its
PEP 263 coding line), so the diff applies to the bytes on disk.
"""

from __future__ import annotations

import codecs
import difflib
import io
import os
import re
import tempfile
import tokenize
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path

from provenfix.changeset import Change
from provenfix.errors import ProvenFixError

_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")  # git's lines end at \n only (not \r, \f or \v as str.splitlines' do)
_ESCAPES = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r",
            '"': '\\"', "\\": "\\\\"}
NO_NEWLINE = b"\\ No newline at end of file\n"
BOM = "\ufeff"


def render_patch(changes: Sequence[Change], root: Path | None = None) -> bytes:
    """Each fix's files, then its proof test, fix after fix; unchanged files left out. A file of `root`
    that starts with a byte order mark keeps it: the texts judged do not hold it (Python reads it as
    utf-8-sig), the bytes the patch applies to do."""
    out = bytearray()
    for change in changes:
        for path, (new, old) in change.files.items():
            if new != old:
                bom = old is not None and root is not None and _has_bom(root / path)
                out += _file_diff(path, BOM + new if bom else new, BOM + old if bom and old is not None else old)
    return bytes(out)


def write_patch(target: Path, data: bytes) -> None:
    """Atomically: a temporary beside `target`, flushed, then renamed over it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".provenfix-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        with suppress(OSError):
            os.unlink(tmp)
        raise ProvenFixError(f"--patch {target}: cannot write it ({exc.strerror or exc})") from exc


def _file_diff(path: str, new: str, old: str | None) -> bytes:
    encoding = _encoding(old if old is not None else new)
    a, b = _quote(f"a/{path}"), _quote(f"b/{path}")
    tab = "\t" if " " in path else ""  # as git writes it: the name ends where the tab is
    head = [f"diff --git {a} {b}\n"]
    head += ["new file mode 100644\n", "--- /dev/null\n"] if old is None else [f"--- {a}{tab}\n"]
    head.append(f"+++ {b}{tab}\n")
    hunks = list(difflib.unified_diff(_lines(old or ""), _lines(new), n=3))[2:]  # its own ---/+++ lines dropped
    body = bytearray()
    for line in hunks:
        data = _encode(line, encoding)
        body += data if data.endswith(b"\n") else data + b"\n" + NO_NEWLINE
    return "".join(head).encode("ascii") + bytes(body)


def _has_bom(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(3) == codecs.BOM_UTF8
    except OSError:
        return False


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


def _encoding(text: str) -> str:
    """The codec each line is written in: the coding line's, else UTF-8 (a BOM is a character of the first line)."""
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(text.encode("utf-8", "surrogateescape")).readline)[0]
    except SyntaxError:
        return "utf-8"
    return "utf-8" if encoding == "utf-8-sig" else encoding


def _encode(line: str, encoding: str) -> bytes:
    try:
        return line.encode(encoding)
    except (UnicodeEncodeError, LookupError):  # --apply refuses such a fix; the patch still shows it
        return line.encode("utf-8", "surrogateescape")


def _quote(name: str) -> str:
    """git's quote_c_style: plain when nothing needs escaping, else in quotes with C escapes, each byte
    of a non-ASCII character in octal."""
    if not any(c in _ESCAPES or ord(c) < 0x20 or ord(c) >= 0x7F for c in name):
        return name
    out = []
    for c in name:
        if c in _ESCAPES:
            out.append(_ESCAPES[c])
        elif 0x20 <= ord(c) < 0x7F:
            out.append(c)
        else:
            out.extend(f"\\{byte:03o}" for byte in os.fsencode(c))
    return '"' + "".join(out) + '"'
