"""Search/replace blocks from a model, applied to the files it was given, or refused with a reason
that goes back to the model."""

from __future__ import annotations


from provenfix.llm.schema import Edit
from provenfix.model import FileEdit
from provenfix.verify._edits import EditProblem, check_path
from provenfix.flow.syntax import parse_module


def apply_blocks(blocks: list[Edit], given: dict[str, str]) -> list[FileEdit]:
    """One FileEdit per changed file. Refused: paths outside the workspace or not given to the
    model, anchors that do not occur exactly once, and results that are not valid Python."""
    if not blocks:
        raise EditProblem("the reply has no edits")
    texts = dict(given)
    for block in blocks:
        check_path(block.path, "edit")
        if block.path not in given:
            raise EditProblem(f"edit to {block.path}: only these files may be edited: {', '.join(sorted(given))}")
        current = texts[block.path]
        count = current.count(block.search) if block.search else 0
        if count != 1:
            where = "does not occur" if count == 0 else f"occurs {count} times"
            raise EditProblem(f"edit to {block.path}: the search text {where} in the file; "
                              "copy it exactly, with enough lines to be unique")
        texts[block.path] = current.replace(block.search, block.replace, 1)
    edits = []
    for path in sorted(texts):
        if texts[path] == given[path]:
            continue
        if path.endswith(".py"):
            try:
                parse_module(texts[path])
            except SyntaxError as exc:
                raise EditProblem(f"after the edits, {path} is not valid Python (line {exc.lineno}: {exc.msg})") from exc
        edits.append(FileEdit(path=path, before=given[path], after=texts[path]))
    if not edits:
        raise EditProblem("the edits change nothing")
    return edits
