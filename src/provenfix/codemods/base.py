"""What every codemod shares: the span it is pointed at and the one way it says no."""

from __future__ import annotations

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
