"""Turn a flattened SQL string into SQL with placeholders plus the values to bind.

Lexes just enough SQL to know where each spliced value sits: inside a ``'quoted'``
literal (the quotes go; surrounding literal text such as LIKE's ``%`` moves into the
parameter), or bare in a value position (after ``=``, ``LIKE``, ``LIMIT``, inside
``VALUES (...)``...). A value anywhere else is an identifier or SQL syntax, which a bound
parameter cannot stand for, so we refuse. All other SQL text is kept as it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from provenfix.codemods._strings import Part, Text, Value, characters
from provenfix.codemods.base import Unfixable

IDENTIFIER = "identifier from input cannot be a bound parameter; needs an allow-list"

_VALUE_BEFORE = re.compile(
    r"(?:[=<>+-]|\|\||\b(?:LIKE|ILIKE|GLOB|LIMIT|OFFSET|BETWEEN|THEN|ELSE)|\bBETWEEN\s+\S+\s+AND)$", re.IGNORECASE
)
_IDENTIFIER_BEFORE = re.compile(r"(?:[,.(]|\b(?:FROM|INTO|UPDATE|JOIN|TABLE|BY|SELECT|DISTINCT|AS))$", re.IGNORECASE)
_OPERATOR_AFTER = re.compile(r"(?:[=<>!]|(?:NOT\s+)?(?:LIKE|ILIKE|IN|IS|BETWEEN)\b|ASC\b|DESC\b|\.)", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    parts: tuple[Part, ...]  # one Value, or literal text around values (LIKE patterns)
    origin: int


@dataclass
class Parametrized:
    texts: dict[int, str] = field(default_factory=dict)  # new SQL text per contributing statement
    params: list[Param] = field(default_factory=list)


_Item = tuple[str, int] | Value


def parametrize(parts: Sequence[Part], *, placeholder: str, escape_percent: bool) -> Parametrized:
    return _Lexer(characters(parts), placeholder, escape_percent).run()


class _Lexer:
    def __init__(self, items: list[_Item], placeholder: str, escape_percent: bool) -> None:
        self.items = items
        self.placeholder = placeholder
        self.escape_percent = escape_percent
        self.out = Parametrized()
        self.sql = ""  # everything emitted so far, unescaped: the context for position checks

    def _emit(self, text: str, origin: int, *, raw: bool = False) -> None:
        self.sql += text
        if self.escape_percent and not raw:
            text = text.replace("%", "%%")  # format paramstyle: a literal % must be %%
        self.out.texts[origin] = self.out.texts.get(origin, "") + text

    def _char(self, index: int) -> str | None:
        item = self.items[index] if index < len(self.items) else None
        return None if item is None or isinstance(item, Value) else item[0]

    def run(self) -> Parametrized:
        index = 0
        while index < len(self.items):
            item = self.items[index]
            if isinstance(item, Value):
                problem = _position_problem(self.sql, self._text_from(index + 1))
                if problem:
                    raise Unfixable(problem)
                self.out.texts.setdefault(item.origin, "")
                self._emit(self.placeholder, item.origin, raw=True)
                self.out.params.append(Param((item,), item.origin))
                index += 1
                continue
            ch, origin = item
            nxt = self._char(index + 1)
            if ch == "'":
                index = self._literal(index)
            elif ch in '"`':
                index = self._skip(index, 1, ch, IDENTIFIER)
            elif ch == "-" and nxt == "-":
                index = self._skip(index, 2, "\n", "a value inside an SQL comment", must_close=False)
            elif ch == "/" and nxt == "*":
                index = self._skip(index, 2, "*/", "a value inside an SQL comment")
            else:
                self._emit(ch, origin)
                index += 1
        return self.out

    def _text_from(self, index: int) -> str:
        chars = []
        while (ch := self._char(index)) is not None:
            chars.append(ch)
            index += 1
        return "".join(chars)

    def _skip(self, start: int, opener: int, closer: str, problem: str, *, must_close: bool = True) -> int:
        """Copy an opaque region (quoted identifier, comment) through; no value may sit inside."""
        index = start + opener
        while index < len(self.items):
            if isinstance(self.items[index], Value):
                raise Unfixable(problem)
            if self._matches(index, closer):
                index += len(closer)
                break
            index += 1
        else:
            if must_close:
                raise Unfixable(f"unterminated {closer!r} in the query")
        for item in self.items[start:index]:
            assert not isinstance(item, Value)
            self._emit(item[0], item[1])
        return index

    def _matches(self, index: int, text: str) -> bool:
        return all(self._char(index + offset) == ch for offset, ch in enumerate(text))

    def _literal(self, start: int) -> int:
        """A '...' literal: kept as is without values, else one placeholder bound to its content."""
        content: list[Part] = []
        index = start + 1
        while True:
            if index >= len(self.items):
                raise Unfixable("unterminated quoted literal in the query")
            item = self.items[index]
            if isinstance(item, Value):
                content.append(item)
            elif item[0] == "'" and self._char(index + 1) == "'":
                content.append(Text("'", item[1]))  # '' is an escaped quote
                index += 1
            elif item[0] == "'":
                break
            else:
                content.append(Text(item[0], item[1]))
            index += 1
        end = index + 1
        region = self.items[start:end]
        if not any(isinstance(part, Value) for part in content):
            for item in region:
                assert not isinstance(item, Value)
                self._emit(item[0], item[1])
            return end
        origins = {item.origin if isinstance(item, Value) else item[1] for item in region}
        if len(origins) > 1:
            raise Unfixable("a quoted SQL literal holding a value is split across statements")
        origin = origins.pop()
        self.out.texts.setdefault(origin, "")
        self._emit(self.placeholder, origin, raw=True)
        self.out.params.append(Param(tuple(_merge(content)), origin))
        return end


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        last = merged[-1] if merged else None
        if isinstance(part, Text) and isinstance(last, Text):
            merged[-1] = Text(last.value + part.value, last.origin)
        else:
            merged.append(part)
    return merged


def _position_problem(before: str, after: str) -> str | None:
    """Why a bare value at this point cannot become a placeholder, or None when it can."""
    head = before.rstrip()
    if _VALUE_BEFORE.search(head) and not _OPERATOR_AFTER.match(after.lstrip()):
        return None
    if head.endswith(("(", ",")):
        opener = _innermost_open_paren(head)
        if opener is not None:
            prefix = head[:opener].rstrip()
            if re.search(r"\bIN$", prefix, re.IGNORECASE):
                return "an IN (...) list built from input needs one placeholder per element; rewrite by hand"
            if re.search(r"\bVALUES$", prefix, re.IGNORECASE) or re.search(
                r"\bVALUES\b.*\)\s*,$", prefix, re.IGNORECASE | re.DOTALL
            ):
                return None
            function = re.match(r"(.*?)\s*\b[A-Za-z_][A-Za-z0-9_]*$", prefix, re.DOTALL)
            if function and _position_problem(function.group(1), "") is None:
                return None  # an argument of a function call that stands in a value position: `= lower(?)`
    if _IDENTIFIER_BEFORE.search(head) or _OPERATOR_AFTER.match(after.lstrip()):
        return IDENTIFIER
    tail = head.split()[-1] if head.split() else ""
    return f"SQL text from input (after {tail!r}) cannot be a bound parameter; needs an allow-list"


def _innermost_open_paren(text: str) -> int | None:
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            if depth == 0:
                return index
            depth -= 1
    return None
