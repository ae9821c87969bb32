"""Flatten a string-building expression into literal text and the values spliced into it.

``"ping -c " + n``, ``f"ping -c {n}"``, ``"ping -c %d" % n``, ``"ping -c {}".format(n)`` and
``" ".join(["ping", "-c", n])`` all flatten to ``[Text("ping -c "), Value(n)]``. The command
and SQL codemods then re-split that stream by shell or SQL rules; this module only reads
Python, it knows nothing about shells or SQL. It also renders the pieces back as literals.
"""

from __future__ import annotations

import codecs
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, cast

import libcst as cst

from provenfix.codemods._cst import code_of
from provenfix.codemods.base import Unfixable


@dataclass(frozen=True)
class Text:
    """Literal characters (already decoded: escapes resolved, ``{{`` and ``%%`` undone)."""

    value: str
    origin: int = 0  # which statement contributed it, when a string is built over several


@dataclass(frozen=True)
class Value:
    """An expression whose runtime text is spliced into the string."""

    expr: cst.BaseExpression
    conversion: str | None = None  # "r" / "s" / "a" as in f"{x!r}"
    spec: str | None = None  # format spec as in f"{x:>5}"
    numeric: bool = False  # came from %d: the value is a number, not a str
    origin: int = 0
    is_str: bool = False  # certainly a str already (a `+` operand, a join element)


@dataclass(frozen=True)
class Words:
    """A name the code itself binds to constant text (``FLAGS = "-czf "``): trusted words, not input."""

    expr: cst.Name
    alternatives: tuple[str, ...]
    origin: int = 0


Part = Text | Value | Words
Constants = Callable[[cst.Name], "tuple[str, ...] | None"]
_Quote = Literal['"', "'", '"""', "'''"]


def flatten(expr: cst.BaseExpression, constants: Constants | None = None) -> list[Part] | None:
    """The parts of a string built from literals, or None when ``expr`` builds no string we can see into.

    ``constants`` recognises names bound to constant text; they become ``Words`` instead of values.
    """
    parts = _flatten(expr, constants)
    if parts is None or not any(isinstance(p, (Text, Words)) for p in parts):
        return None
    return _merge(parts)


def characters(parts: Sequence[Part]) -> list[tuple[str, int] | Value | Words]:
    """What a lexer reads: each literal character with its origin, each runtime value as one item."""
    items: list[tuple[str, int] | Value | Words] = []
    for part in parts:
        if isinstance(part, Text):
            items.extend((ch, part.origin) for ch in part.value)
        else:
            items.append(part)
    return items


def with_origin(parts: Sequence[Part], origin: int) -> list[Part]:
    return [_retag(p, origin) for p in parts]


def _retag(part: Part, origin: int) -> Part:
    if isinstance(part, Text):
        return Text(part.value, origin)
    if isinstance(part, Words):
        return Words(part.expr, part.alternatives, origin)
    return Value(part.expr, part.conversion, part.spec, part.numeric, origin, part.is_str)


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        last = merged[-1] if merged else None
        if isinstance(part, Text) and isinstance(last, Text) and last.origin == part.origin:
            merged[-1] = Text(last.value + part.value, part.origin)
        elif not (isinstance(part, Text) and part.value == ""):
            merged.append(part)
    return merged


def _flatten(expr: cst.BaseExpression, constants: Constants | None = None) -> list[Part] | None:
    if isinstance(expr, cst.SimpleString):
        return [Text(_simple_value(expr))]
    if isinstance(expr, cst.ConcatenatedString):
        left, right = _flatten(expr.left), _flatten(expr.right)
        return None if left is None or right is None else left + right
    if isinstance(expr, cst.FormattedString):
        return _fstring(expr)
    if constants is not None and isinstance(expr, cst.Name) and (texts := constants(expr)) is not None:
        return [Words(expr, texts)]
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        left, right = _flatten(expr.left, constants), _flatten(expr.right, constants)
        if left is None and right is None:
            return None
        # `+` with a string on one side means the other side is a str as well.
        return (left or [Value(expr.left, is_str=True)]) + (right or [Value(expr.right, is_str=True)])
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Modulo):
        template = _literal_text(expr.left)
        return None if template is None else _percent(template, expr.right)
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute):
        receiver = _literal_text(expr.func.value)
        if receiver is not None and expr.func.attr.value == "format":
            return _format(receiver, expr)
        if receiver is not None and expr.func.attr.value == "join":
            return _join(receiver, expr)
    return None


def _literal_text(expr: cst.BaseExpression) -> str | None:
    """The value of a plain (possibly implicitly concatenated) string literal."""
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        parts = _flatten(expr)
        texts = [p.value for p in parts or () if isinstance(p, Text)]
        if parts is not None and len(texts) == len(parts):
            return "".join(texts)
    return None


def _simple_value(node: cst.SimpleString) -> str:
    value = node.evaluated_value
    if isinstance(value, bytes):
        raise Unfixable("bytes literals are not supported")
    return value


def _fstring(node: cst.FormattedString) -> list[Part]:
    raw = "r" in node.prefix.lower()
    parts: list[Part] = []
    for piece in node.parts:
        if isinstance(piece, cst.FormattedStringText):
            parts.append(Text(_decode_fstring_text(piece.value, raw)))
            continue
        assert isinstance(piece, cst.FormattedStringExpression)
        if piece.equal is not None:
            raise Unfixable("self-documenting f-string field (f'{x=}') is not supported")
        spec = None
        if piece.format_spec:
            texts = [s.value for s in piece.format_spec if isinstance(s, cst.FormattedStringText)]
            if len(texts) != len(piece.format_spec):
                raise Unfixable("nested f-string format spec is not supported")
            spec = "".join(texts)
        parts.append(Value(piece.expression, piece.conversion, spec or None))
    return parts


def _decode_fstring_text(text: str, raw: bool) -> str:
    text = text.replace("{{", "{").replace("}}", "}")
    if raw:
        return text
    # backslashreplace keeps non-Latin-1 characters intact through unicode_escape.
    return codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")


_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?(?P<flags>[-#0 +]*)(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?[hlL]?(?P<type>.?)"
)


def _percent(template: str, right: cst.BaseExpression) -> list[Part]:
    if isinstance(right, cst.Tuple):
        if any(isinstance(e, cst.StarredElement) for e in right.elements):
            raise Unfixable("% formatting with a starred tuple is not supported")
        positional = [e.value for e in right.elements]
    else:
        positional = [right]
    named = _dict_literal(right) if isinstance(right, cst.Dict) else None
    parts: list[Part] = []
    cursor = 0
    index = 0
    for match in _PERCENT.finditer(template):
        parts.append(Text(template[cursor : match.start()]))
        cursor = match.end()
        kind = match["type"]
        if kind == "%" and match.group(0) == "%%":
            parts.append(Text("%"))
            continue
        if kind not in "sradiufFeEgGxXo" or not kind or "*" in (match["width"] or "") + (match["prec"] or ""):
            raise Unfixable(f"% format {match.group(0)!r} is not supported")
        if match["key"] is not None:
            if named is None or match["key"] not in named:
                raise Unfixable("% formatting by key needs a dict literal with that key")
            value = named[match["key"]]
        else:
            if index >= len(positional):
                raise Unfixable("% formatting has fewer values than placeholders")
            value = positional[index]
            index += 1
        parts.append(_percent_value(value, match))
    if named is None and index != len(positional):
        raise Unfixable("% formatting has more values than placeholders")
    parts.append(Text(template[cursor:]))
    return parts


def _percent_value(value: cst.BaseExpression, match: re.Match[str]) -> Value:
    kind, flags, width, prec = match["type"], match["flags"], match["width"] or "", match["prec"]
    if not flags and not width and prec is None:
        if kind == "s":
            return Value(value)
        if kind in "ra":
            return Value(value, conversion=kind)
        if kind in "diu":
            return Value(value, numeric=True)
    # Translate the printf spec into the equivalent format() spec.
    align = "<" if "-" in flags else (">" if kind in "sra" and width else "")
    sign = "+" if "+" in flags else (" " if " " in flags else "")
    spec = align + sign + ("#" if "#" in flags else "") + ("0" if "0" in flags and not align else "")
    spec += width + (f".{prec}" if prec is not None else "")
    conversion = kind if kind in "ra" else None
    spec += {"i": "d", "u": "d", "r": "", "a": ""}.get(kind, kind)
    return Value(value, conversion=conversion, spec=spec or None)


def _dict_literal(node: cst.Dict) -> dict[str, cst.BaseExpression]:
    found: dict[str, cst.BaseExpression] = {}
    for element in node.elements:
        if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
            raise Unfixable("% formatting by key needs a dict literal with string keys")
        found[_simple_value(element.key)] = element.value
    return found


def _format(template: str, call: cst.Call) -> list[Part]:
    positional: list[cst.BaseExpression] = []
    named: dict[str, cst.BaseExpression] = {}
    for arg in call.args:
        if arg.star:
            raise Unfixable("str.format with *args/**kwargs is not supported")
        if arg.keyword is None:
            positional.append(arg.value)
        else:
            named[arg.keyword.value] = arg.value
    parts: list[Part] = []
    auto = 0
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise Unfixable(f"str.format template does not parse: {exc}") from exc
    for literal, field_name, spec, conversion in fields:
        parts.append(Text(literal))
        if field_name is None:
            continue
        if "{" in (spec or ""):
            raise Unfixable("nested str.format spec is not supported")
        if field_name == "":
            key: int | str = auto
            auto += 1
        elif field_name.isdigit():
            key = int(field_name)
        elif field_name.isidentifier():
            key = field_name
        else:
            raise Unfixable(f"str.format field {{{field_name}}} (attribute or index access) is not supported")
        if isinstance(key, int):
            if key >= len(positional):
                raise Unfixable("str.format has fewer values than fields")
            value = positional[key]
        elif key in named:
            value = named[key]
        else:
            raise Unfixable(f"str.format field {{{key}}} has no matching keyword")
        parts.append(Value(value, conversion=conversion, spec=spec or None))
    return parts


def _join(separator: str, call: cst.Call) -> list[Part] | None:
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    items = call.args[0].value
    if not isinstance(items, (cst.List, cst.Tuple)):
        return None  # a join over a runtime iterable: nothing to see into
    parts: list[Part] = []
    for number, element in enumerate(items.elements):
        if isinstance(element, cst.StarredElement):
            raise Unfixable("str.join over a starred element is not supported")
        if number:
            parts.append(Text(separator))
        parts.extend(_flatten(element.value) or [Value(element.value, is_str=True)])
    return parts


# -- rendering ---------------------------------------------------------------------------------
def quote_of(expr: cst.CSTNode) -> str:
    """The quote style of the first string literal inside ``expr`` (default ``"``)."""
    found: list[str] = []

    class _Find(cst.CSTVisitor):
        def visit_SimpleString(self, node: cst.SimpleString) -> bool:
            found.append(node.quote)
            return False

        def visit_FormattedString(self, node: cst.FormattedString) -> bool:
            found.append(node.quote)
            return False

    expr.visit(_Find())
    return found[0] if found else '"'


def string_literal(value: str, quote: str = '"') -> cst.SimpleString:
    """A literal for ``value`` in the preferred quote style, escaping only what must be."""
    quote = _pick_quote(value, quote)
    return cst.SimpleString(quote + _escape(value, quote) + quote)


def fstring_literal(parts: Sequence[Part], quote: str = '"') -> cst.FormattedString:
    """An f-string that evaluates to the concatenation of ``parts``."""
    codes = [code_of(p.expr) for p in parts if isinstance(p, Value)]
    for code in codes:
        if "\\" in code or "\n" in code:
            raise Unfixable("cannot embed an expression holding a backslash or newline in an f-string")
    single = quote[0]
    other = "'" if single == '"' else '"'
    if any(single in code for code in codes):
        single, other = other, single
    if any(single in code for code in codes):
        raise Unfixable("cannot embed an expression using both quote kinds in an f-string")
    quote = single * len(quote) if len(quote) == 3 else single
    pieces: list[cst.BaseFormattedStringContent] = []
    for part in parts:
        if isinstance(part, Text):
            escaped = _escape(part.value, quote).replace("{", "{{").replace("}", "}}")
            pieces.append(cst.FormattedStringText(escaped))
        else:
            pad = " " if code_of(part.expr).startswith("{") else ""
            pieces.append(
                cst.FormattedStringExpression(
                    expression=part.expr,
                    conversion=part.conversion,
                    format_spec=[cst.FormattedStringText(part.spec)] if part.spec else None,
                    whitespace_before_expression=cst.SimpleWhitespace(pad),
                    whitespace_after_expression=cst.SimpleWhitespace(pad),
                )
            )
    return cst.FormattedString(parts=pieces, start="f" + quote, end=cast(_Quote, quote))


def value_expression(
    parts: Sequence[Part], quote: str = '"', *, stringify: bool, str_names: frozenset[str] = frozenset()
) -> cst.BaseExpression:
    """One expression for a run of parts: a literal, the bare value, or an f-string.

    With ``stringify`` a lone value not known to be a str (an f-string field, ``%s``, ``%d``)
    is wrapped in ``str()``, as formatting did; ``str_names`` are names known to hold a str.
    """
    texts = [p.value for p in parts if isinstance(p, Text)]
    if len(texts) == len(parts):
        return string_literal("".join(texts), quote)
    if len(parts) == 1 and isinstance(parts[0], Value):
        value = parts[0]
        if value.conversion is None and value.spec is None:
            if stringify and not _known_str(value, str_names):
                return cst.Call(func=cst.Name("str"), args=[cst.Arg(value.expr)])
            return value.expr
    return fstring_literal(parts, quote)


def _known_str(value: Value, str_names: frozenset[str]) -> bool:
    expr = value.expr
    if value.is_str or isinstance(expr, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(expr, cst.Name):
        return expr.value in str_names
    return isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == "str"


def _pick_quote(value: str, quote: str) -> str:
    if len(quote) == 3:
        return quote
    other = "'" if quote == '"' else '"'
    if quote in value and other not in value:
        return other
    return quote


def _escape(value: str, quote: str) -> str:
    triple = len(quote) == 3
    q = quote[0]
    out: list[str] = []
    for index, ch in enumerate(value):
        if ch == "\\":
            out.append("\\\\")
        elif ch == q:
            needs = not triple or index + 1 == len(value) or value[index + 1] == q
            out.append("\\" + ch if needs else ch)
        elif (ch == "\n" and triple) or ch.isprintable():
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1])
    return "".join(out)
