"""What every codemod shares: the span it is pointed at and the one way it says no."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass


class Unfixable(Exception):
    """The code cannot be rewritten safely. ``str(exc)`` is the one-line reason shown to the user."""


@dataclass(frozen=True)
class Span:
    """A node's position: 1-based lines, 0-based *character* columns, end exclusive.

    Matches LibCST's ``PositionProvider`` ``CodeRange`` (start.line, start.column, end.line, end.column).
    """

    line: int
    col: int
    end_line: int
    end_col: int


_NEWLINE = re.compile(r"\r\n|\r|\n")


def span_of(node: ast.AST, source: str) -> Span:
    """The Span of an ``ast`` node, converting ast's UTF-8 *byte* columns to character columns.

    ``ast`` reports ``col_offset``/``end_col_offset`` in bytes; LibCST (and Span) count characters,
    so the two disagree on any line holding non-ASCII text before the node.
    """
    end_lineno = getattr(node, "end_lineno", None)
    end_col = getattr(node, "end_col_offset", None)
    if end_lineno is None or end_col is None:
        raise ValueError(f"{type(node).__name__} node carries no position")
    lines = _NEWLINE.split(source)
    lineno: int = node.lineno  # type: ignore[attr-defined]
    col: int = node.col_offset  # type: ignore[attr-defined]
    return Span(lineno, _char_col(lines[lineno - 1], col), end_lineno, _char_col(lines[end_lineno - 1], end_col))


def _char_col(line: str, byte_col: int) -> int:
    return len(line.encode("utf-8")[:byte_col].decode("utf-8"))
