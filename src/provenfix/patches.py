"""A unified diff written elsewhere (a coding agent's), turned into the FileEdits the verifier judges.

Strict on purpose: every hunk's context and removed lines must be the file's text exactly (at the
line the hunk names, or at the one place further on where they occur), or the patch is refused.
Only plain text changes to regular files inside the project are accepted: no renames, deletions,
mode changes, binary or symlink patches, no path through a symbolic link. Nothing is written here.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from provenfix.errors import UsageError
from provenfix.model import FileEdit
from provenfix.verify._edits import EditProblem, check_path, read_text

MAX_PATCH_CHARS = 1_000_000  # far beyond any fix; keeps a hostile caller from exhausting memory
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_REFUSED = ("rename from", "rename to", "copy from", "copy to", "deleted file mode", "old mode", "new mode",
            "GIT binary patch", "Binary files")
_NO_NEWLINE = "\\ No newline at end of file"


class PatchError(UsageError):
    """A patch that cannot be judged: ``str()`` is the one-line reason."""


@dataclass
class _Hunk:
    start: int  # 1-based line of the old text where the hunk begins (0 for an empty file)
    old: list[str] = field(default_factory=list)  # context and removed lines, each with its line ending
    new: list[str] = field(default_factory=list)  # context and added lines


@dataclass
class _FilePatch:
    path: str
    creates: bool
    hunks: list[_Hunk] = field(default_factory=list)


def edits_from_patch(root: Path, patch: str) -> list[FileEdit]:
    """One FileEdit per file the patch changes, made against the files under ``root`` as they are now."""
    if len(patch) > MAX_PATCH_CHARS:
        raise PatchError(f"the patch is larger than {MAX_PATCH_CHARS} characters")
    files = _parse(patch)
    if not files:
        raise PatchError("the patch changes no file: expected a unified diff (--- a/PATH, +++ b/PATH, @@ hunks)")
    edits = []
    for fp in files:
        path = _inside(root, fp.path)
        try:
            before = read_text(path) if path.exists() else None
        except EditProblem as exc:
            raise PatchError(str(exc)) from None
        if fp.creates and before is not None:
            raise PatchError(f"the patch creates {fp.path}, which already exists")
        if not fp.creates and before is None:
            raise PatchError(f"the patch changes {fp.path}, which does not exist")
        before = before or ""
        after = _apply(before, fp)
        if after != before:
            edits.append(FileEdit(path=fp.path, before=before, after=after))
    if not edits:
        raise PatchError("the patch changes nothing")
    return edits


def touched_lines(edit: FileEdit) -> set[int]:
    """The 1-based lines of ``edit.before`` that it replaces or deletes, and those either side of an insertion."""
    before, after = _lines(edit.before), _lines(edit.after)
    touched: set[int] = set()
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag != "equal":
            touched.update(range(i1 + 1, i2 + 1) if i2 > i1 else (i1, i1 + 1))
    return touched


def _parse(patch: str) -> list[_FilePatch]:
    files: list[_FilePatch] = []
    lines = _lines(patch)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(_REFUSED):
            raise PatchError(f"the patch has {line.strip()!r}: only changes to the text of files are accepted")
        if line.startswith("new file mode") and not line.split()[-1].startswith("100"):
            raise PatchError("the patch creates something other than a regular file (a symbolic link?)")
        if line.startswith("--- ") and i + 1 < len(lines) and lines[i + 1].startswith("+++ "):
            old, new = _name(line[4:]), _name(lines[i + 1][4:])
            if new is None:
                raise PatchError(f"the patch deletes {old}: only changes to the text of files are accepted")
            if old is not None and old != new:
                raise PatchError(f"the patch renames {old} to {new}: only changes to the text of files are accepted")
            if any(f.path == new for f in files):
                raise PatchError(f"the patch changes {new} twice")
            files.append(_FilePatch(path=new, creates=old is None))
            i += 2
            continue
        match = _HUNK.match(line)
        if match:
            if not files:
                raise PatchError("a hunk comes before any file header (--- a/PATH, +++ b/PATH)")
            i = _read_hunk(lines, i + 1, match, files[-1])
            continue
        i += 1  # "diff --git", "index …", "new file mode 100644" and prose around the diff
    return files


def _name(header: str) -> str | None:
    """The path of a ---/+++ header, without its a/ or b/ prefix and timestamp; None for /dev/null."""
    name = header.rstrip("\r\n").split("\t")[0]
    if name == "/dev/null":
        return None
    if not name.isprintable() or name.startswith('"'):  # git quotes a name with special characters
        raise PatchError(f"the patch names a file with special characters ({name!r}): they are not accepted")
    name = name[2:] if name.startswith(("a/", "b/")) else name
    try:
        check_path(name, "patched file")
    except EditProblem as exc:
        raise PatchError(str(exc)) from None
    return name


def _read_hunk(lines: list[str], i: int, match: re.Match[str], fp: _FilePatch) -> int:
    old_count = int(match.group(2) or "1")
    new_count = int(match.group(4) or "1")
    hunk = _Hunk(start=int(match.group(1)))
    last: list[list[str]] = []
    while i < len(lines) and (len(hunk.old) < old_count or len(hunk.new) < new_count or lines[i].startswith(_NO_NEWLINE)):
        line = lines[i]
        if line.startswith(_NO_NEWLINE):
            for side in last:  # the line before had no line ending in that file
                side[-1] = side[-1].rstrip("\r\n")
        elif line[:1] in (" ", "-", "+") or line in ("\n", "\r\n"):
            body = line[1:] if line[:1] in (" ", "-", "+") else line  # some tools drop the space of empty context
            last = {" ": [hunk.old, hunk.new], "-": [hunk.old], "+": [hunk.new]}.get(line[:1], [hunk.old, hunk.new])
            for side in last:
                side.append(body)
        else:
            break
        i += 1
    if len(hunk.old) != old_count or len(hunk.new) != new_count:
        raise PatchError(f"a hunk of {fp.path} is cut short: its @@ header counts {old_count} old and "
                         f"{new_count} new lines, the hunk has {len(hunk.old)} and {len(hunk.new)}")
    fp.hunks.append(hunk)
    return i


def _apply(text: str, fp: _FilePatch) -> str:
    lines = _lines(text)
    out: list[str] = []
    pos = 0
    for n, hunk in enumerate(fp.hunks, 1):
        at = _locate(lines, hunk, pos)
        if at is None:
            raise PatchError(f"hunk {n} of {fp.path} does not apply: its context and removed lines are not in the file "
                             "as it is now")
        out += lines[pos:at] + hunk.new
        pos = at + len(hunk.old)
    return "".join(out + lines[pos:])


def _locate(lines: list[str], hunk: _Hunk, pos: int) -> int | None:
    """Where the hunk's old lines are: at the line it names if they match there, else their only
    occurrence after the previous hunk."""
    size = len(hunk.old)
    named = max(hunk.start - 1, 0) if size else hunk.start  # a pure insertion names the line it follows
    if named >= pos and lines[named:named + size] == hunk.old and (size or named <= len(lines)):
        return named
    if not size:
        return None
    found = [k for k in range(pos, len(lines) - size + 1) if lines[k:k + size] == hunk.old]
    return found[0] if len(found) == 1 else None


def _lines(text: str) -> list[str]:
    """Lines with their endings, split at "\\n" only: a form feed or a lone "\\r" inside a line of
    Python stays in it, as diff and Python read them."""
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _inside(root: Path, rel: str) -> Path:
    """``root / rel``, refused when any folder on the way, or the file, is a symbolic link: a patch
    must change the file it names, not whatever a link in the (hostile) project points at."""
    path = root
    for part in rel.split("/"):
        path = path / part
        if path.is_symlink():
            raise PatchError(f"the patch changes {rel} through a symbolic link ({path.relative_to(root).as_posix()})")
    if path.exists() and not path.is_file():
        raise PatchError(f"the patch changes {rel}, which is not a regular file")
    return path
