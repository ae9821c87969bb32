"""Put a candidate's edits and proof tests into a sandbox copy, refusing anything unsafe.

Texts follow the workspace's convention: files are read as Python reads source (UTF-8, a
BOM, or a PEP 263 coding line) with no newline translation, and written back in the
encoding they had.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from provenfix.model import FileEdit, ProofTest
from provenfix.workspace import decode_source


class EditProblem(Exception):
    """An edit or proof test that cannot be applied; ``str()`` is the one-line reason."""


def check_path(rel: str, what: str) -> None:
    """Refuse paths that could land outside the project copy."""
    pure = PurePosixPath(rel)
    if not rel or pure.is_absolute() or "\\" in rel or any(part in ("..", "") for part in rel.split("/")):
        raise EditProblem(f"{what} path {rel!r} is not a plain relative path inside the project")


def contained(root: Path, rel: str) -> Path:
    """``root / rel``, refused if a link on the way leads out of ``root``. Compared by path
    components, never by string prefix: ``/x/proj_evil/a`` is not inside ``/x/proj``."""
    path = root / rel
    if not path.resolve().is_relative_to(root.resolve()):
        raise EditProblem(f"{rel} leads outside the project (through a link)")
    return path


def read_text(path: Path) -> str | None:
    try:
        return decode_source(path.read_bytes())[0]
    except FileNotFoundError:
        return None
    except (OSError, SyntaxError, UnicodeDecodeError) as exc:
        raise EditProblem(f"{path.name}: cannot read it ({exc})") from exc


def _write(path: Path, text: str, encoding: str = "utf-8") -> None:
    try:
        data = text.encode(encoding)  # "utf-8-sig" writes the BOM the file had
    except UnicodeEncodeError as exc:
        raise EditProblem(f"{path.name}: the new text cannot be written in the file's encoding, {encoding}") from exc
    path.parent.mkdir(parents=True, exist_ok=True)  # only ever after contained(): no folder made through a link
    path.write_bytes(data)


def check_applies(root: Path, edits: Iterable[FileEdit]) -> None:
    """Each edit's ``before`` must be the file's current text ("" for a file it creates)."""
    for edit in edits:
        check_path(edit.path, "edit")
        current = read_text(contained(root, edit.path))
        if (current if current is not None else "") != edit.before:
            raise EditProblem(f"edit to {edit.path} does not apply: the file differs from the text the fix was made for")


def apply_edits(root: Path, edits: Iterable[FileEdit]) -> None:
    edits = list(edits)
    check_applies(root, edits)
    for edit in edits:
        path = contained(root, edit.path)
        _write(path, edit.after, decode_source(path.read_bytes())[1] if path.exists() else "utf-8")


def write_proof(root: Path, proof: ProofTest) -> None:
    check_path(proof.path, "proof test")
    if not proof.path.endswith(".py"):
        raise EditProblem(f"proof test path {proof.path!r} is not a .py file")
    _write(contained(root, proof.path), proof.code)


def merge_edits(edits: Iterable[FileEdit]) -> list[FileEdit]:
    """One edit per file: chained edits are composed, edits of the same original text merged.

    Merging is line based. Changes to disjoint line ranges combine; insertions at the
    same place are concatenated (typically two added imports); overlapping changes
    raise EditProblem.
    """
    by_path: dict[str, list[FileEdit]] = {}
    for edit in edits:
        by_path.setdefault(edit.path, []).append(edit)
    merged = []
    for path, group in by_path.items():
        base = group[0].before
        text = group[0].after
        for edit in group[1:]:
            if edit.before == text:  # made on top of the previous ones
                text = edit.after
            elif edit.before == base:
                text = _merge3(base, text, edit.after, path)
            else:
                raise EditProblem(f"edits to {path} were made for different versions of the file")
        merged.append(FileEdit(path=path, before=base, after=text))
    return merged


def _changes(base: list[str], new: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = difflib.SequenceMatcher(None, base, new, autojunk=False)
    return [(i1, i2, new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _merge3(base: str, ours: str, theirs: str, path: str) -> str:
    base_lines = base.splitlines(keepends=True)
    changes: list[tuple[int, int, tuple[str, ...]]] = []
    for new in (ours, theirs):
        for i1, i2, lines in _changes(base_lines, new.splitlines(keepends=True)):
            same_spot = next((k for k, c in enumerate(changes) if i1 == i2 == c[0] == c[1]), None)
            if same_spot is not None:  # two insertions here: keep each line once, ours first
                kept = changes[same_spot][2]
                changes[same_spot] = (i1, i2, kept + tuple(line for line in lines if line not in kept))
            elif (i1, i2, tuple(lines)) not in changes:
                changes.append((i1, i2, tuple(lines)))
    # Insertions precede a replacement starting at the same line.
    changes.sort(key=lambda c: (c[0], c[1] != c[0], c[1]))
    out: list[str] = []
    pos = 0
    for i1, i2, lines in changes:
        if i1 < pos:
            raise EditProblem(f"edits to {path} overlap (line {i1 + 1}); they cannot be combined")
        out.extend(base_lines[pos:i1])
        out.extend(lines)
        pos = i2
    out.extend(base_lines[pos:])
    return "".join(out)
