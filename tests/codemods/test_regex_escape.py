from __future__ import annotations

import ast
import re

from provenfix.codemods.regex_escape import escape_in_pattern

from .harness import assert_unfixable, span_at


def used(name: str):
    """The first use (not the parameter) of `name`."""
    return lambda node: isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)


def _fix(source: str, *targets: tuple[str, bool]) -> str:
    out = escape_in_pattern(source, [(span_at(source, used(at)), each) for at, each in targets])
    compile(out, "<fixed>", "exec")
    return out


def test_the_whole_pattern_is_escaped_at_the_sink() -> None:
    src = "import re\n\ndef find(q, titles):\n    return [t for t in titles if re.search(q, t)]\n"
    assert _fix(src, ("q", False)) == src.replace("re.search(q, t)", "re.search(re.escape(q), t)")


def test_input_spliced_into_an_fstring_is_escaped_where_it_enters() -> None:
    src = 'import re\n\ndef mark(text, word):\n    return re.sub(rf"\\b({word})\\b", "*", text)\n'
    out = _fix(src, ("word", False))
    assert 'rf"\\b({re.escape(word)})\\b"' in out
    namespace: dict = {}
    exec(out, namespace)
    assert namespace["mark"]("a.b axb", "a.b") == "* axb"


def test_re_is_imported_when_the_file_used_from_imports() -> None:
    src = "from re import compile\n\ndef starts(prefix):\n    return compile('^' + prefix)\n"
    out = _fix(src, ("prefix", False))
    assert "import re\n" in out and "compile('^' + re.escape(prefix))" in out


def test_an_alias_of_re_is_kept() -> None:
    src = "import re as regex_lib\n\ndef split(line, sep):\n    return regex_lib.split(sep, line)\n"
    assert "regex_lib.split(regex_lib.escape(sep), line)" in _fix(src, ("sep", False))


def test_joined_terms_are_each_escaped() -> None:
    src = "import re\n\ndef any_of(words):\n    return re.compile('|'.join(words))\n"
    out = _fix(src, ("words", True))
    assert "'|'.join(re.escape(part) for part in words)" in out
    namespace: dict = {}
    exec(out, namespace)
    assert namespace["any_of"](["c++", "a.b"]).pattern == re.escape("c++") + "|" + re.escape("a.b")


def test_a_formatted_value_with_a_spec_is_refused() -> None:
    src = "import re\n\ndef find(q, t):\n    return re.search(f'{q!r}', t)\n"
    assert_unfixable(lambda s, span: escape_in_pattern(s, [(span, False)]), src, at=used("q"), match="conversion")
