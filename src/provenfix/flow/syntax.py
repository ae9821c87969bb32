"""Parse code written for any Python from 3.8 to 3.14, whatever interpreter (3.10+) runs ProvenFix.

`ast.parse` first: it is the fast path and knows everything up to the running version. Code it
rejects is read by LibCST, whose parser knows the newer syntax (PEP 701 f-strings, PEP 695 type
parameters and `type` statements, PEP 750 template strings, PEP 758 `except A, B:`), and rewritten
into older syntax of the same meaning for the analysis, byte for byte in place, so that every line
and column the tree reports still points at the same code in the original text:

- an f-string or t-string becomes a parenthesised tuple of its replacement fields, each expression
  left where it was and the literal text blanked (`f"a{x!r:>{w}}b"` → `(  x  , w,  )`); the tuple
  is then turned back into an `ast.JoinedStr` of those expressions, as the older parser would give;
- type parameters are blanked (`def f[T](x)` → `def f   (x)`), and `type X = v` assigns `X`;
- `except A, B:` gets its parentheses (that line alone shifts by two columns).
"""

from __future__ import annotations

import ast

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

_STRINGS = (cst.FormattedString, cst.TemplatedString)
_FIELDS = (cst.FormattedStringExpression, cst.TemplatedStringExpression)


def parse_module(text: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse`, or for syntax this interpreter's parser does not know, a tree of the same meaning
    with the same positions. Raises the original SyntaxError when no Python 3.8-3.14 accepts the text."""
    try:
        return ast.parse(text, filename=filename)
    except SyntaxError as error:
        original = error
    try:
        older, strings = _older_syntax(text)
        tree = ast.parse(older, filename=filename)
    except Exception:  # LibCST rejects it too, or the rewrite is not enough: the text's own error stands
        raise original from None
    return _FStrings(strings).visit(tree) if strings else tree


class _Text:
    """The source as bytes per line, edited in place: ast columns count UTF-8 bytes."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)
        self.raw = [bytearray(line.encode("utf-8")) for line in self.lines]

    def at(self, line: int, column: int) -> tuple[int, int]:
        """(line index, byte offset) of LibCST's (1-based line, character column)."""
        return line - 1, len(self.lines[line - 1][:column].encode("utf-8"))

    def blank(self, start: tuple[int, int], end: tuple[int, int]) -> None:
        """Spaces over [start, end), line breaks kept."""
        for row in range(start[0], end[0] + 1):
            data = self.raw[row]
            first = start[1] if row == start[0] else 0
            last = end[1] if row == end[0] else len(data)
            for i in range(first, last):
                if data[i] not in b"\r\n":
                    data[i] = 0x20

    def put(self, where: tuple[int, int], text: bytes) -> None:
        self.raw[where[0]][where[1] : where[1] + len(text)] = text

    def first_free(self, start: tuple[int, int]) -> tuple[int, int]:
        """The first position at or after `start` that is not a line break."""
        row, col = start
        while col >= len(self.raw[row]) or self.raw[row][col] in b"\r\n":
            row, col = row + 1, 0
        return row, col

    def copy(self, source: "_Text", start: tuple[int, int], end: tuple[int, int]) -> None:
        for row in range(start[0], end[0] + 1):
            first = start[1] if row == start[0] else 0
            last = end[1] if row == end[0] else len(source.raw[row])
            self.raw[row][first:last] = source.raw[row][first:last]

    def __str__(self) -> str:
        return b"".join(self.raw).decode("utf-8")


def _older_syntax(text: str) -> tuple[str, set[tuple[int, int]]]:
    """The text in syntax `ast` of 3.10 reads, and where each rewritten f-string's tuple starts."""
    wrapper = MetadataWrapper(cst.parse_module(text), unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    original, out = _Text(text), _Text(text)
    starts: set[tuple[int, int]] = set()

    def span(node: cst.CSTNode) -> tuple[tuple[int, int], tuple[int, int]]:
        where: CodeRange = positions[node]
        return original.at(where.start.line, where.start.column), original.at(where.end.line, where.end.column)

    def fields(parts) -> list:
        """Replacement fields in order, those nested in format specs included."""
        found = []
        for part in parts:
            if isinstance(part, _FIELDS):
                found.append(part)
                found += fields(part.format_spec or ())
        return found

    # One tuple per string: an f-string, or a run of adjacent literals with an f-string among them
    # (`f"a{x}" "b"` must not become a tuple followed by a string).
    units: list[tuple[cst.CSTNode, list]] = []
    runs = [n for n in positions if isinstance(n, cst.ConcatenatedString)]
    inner = {id(side) for n in runs for side in (n.left, n.right)}
    covered: set[int] = set()
    for node in runs:
        if id(node) not in inner:  # the whole run, not a tail of it
            pieces = _pieces(node)
            covered.update(id(p) for p in pieces)
            if any(isinstance(p, _STRINGS) for p in pieces):
                units.append((node, [f for p in pieces if isinstance(p, _STRINGS) for f in fields(p.parts)]))
    units += [(n, fields(n.parts)) for n in positions if isinstance(n, _STRINGS) and id(n) not in covered]
    # Outer strings first (the longer span): an inner one, inside a field's expression, is
    # rewritten over the outer's copy of that expression.
    units.sort(key=lambda unit: _length(span(unit[0])), reverse=True)
    for node, unit_fields in units:
        start, end = span(node)
        out.blank(start, end)
        out.put(start, b"(")
        last_row, last_col = end
        out.put((last_row, last_col - 1), b")")
        for field in unit_fields:
            expr_start, expr_end = span(field.expression)
            out.copy(original, expr_start, expr_end)
            out.put(out.first_free(expr_end), b",")
        starts.add(start)
    for node in positions:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node.type_parameters is not None:
            out.blank(*span(node.type_parameters))
        elif isinstance(node, cst.TypeAlias):
            (row, col), _ = span(node)
            name = node.name.value.encode("utf-8")
            if node.type_parameters is not None:
                out.blank(*span(node.type_parameters))
            name_start, name_end = span(node.name)
            out.blank((row, col), name_end)
            out.put((row, col), name)  # `type X[T] = v` → `X         = v`
        elif isinstance(node, cst.ExceptHandler) and isinstance(node.type, cst.Tuple) and not node.type.lpar:
            type_start, type_end = span(node.type)
            row = out.raw[type_end[0]]
            out.raw[type_end[0]] = row[: type_end[1]] + b")" + row[type_end[1]:]
            row = out.raw[type_start[0]]
            out.raw[type_start[0]] = row[: type_start[1]] + b"(" + row[type_start[1]:]
    return str(out), starts


def _pieces(node: cst.ConcatenatedString) -> list[cst.CSTNode]:
    """The literals of one run, in order."""
    return [piece for side in (node.left, node.right)
            for piece in (_pieces(side) if isinstance(side, cst.ConcatenatedString) else [side])]


def _length(span: tuple[tuple[int, int], tuple[int, int]]) -> tuple[int, int]:
    (start_row, start_col), (end_row, end_col) = span
    return end_row - start_row, end_col - start_col if end_row == start_row else end_col


class _FStrings(ast.NodeTransformer):
    """Tuples that stand for f-strings become the JoinedStr the older parser makes of them."""

    def __init__(self, starts: set[tuple[int, int]]) -> None:
        self.starts = starts

    def visit_Tuple(self, node: ast.Tuple) -> ast.AST:
        self.generic_visit(node)
        if (node.lineno - 1, node.col_offset) not in self.starts:
            return node
        values = [ast.copy_location(ast.FormattedValue(value=e, conversion=-1, format_spec=None), e) for e in node.elts]
        return ast.copy_location(ast.JoinedStr(values=values), node)
