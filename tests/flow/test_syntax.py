"""Code for Python 3.12-3.14 is analysed on any interpreter, every position where it was in the text."""

from __future__ import annotations

import ast
import sys

import pytest

from provenfix.detect import detect
from provenfix.flow.syntax import parse_module
from provenfix.workspace import SourceFile

NEWER = [
    pytest.param('s = f"{d["k"]}"; os.system(s)\n', id="pep701-nested-quotes"),
    pytest.param('s = f"é{x["a"]!r:>{w}}é{y=}"; os.system(s)\n', id="pep701-conversion-spec-debug-non-ascii"),
    pytest.param('s = f"{f"{z["q"]}"}"; os.system(s)\n', id="pep701-nested-f-string"),
    pytest.param('s = (f"{a["x"]}" "plain"\n     f"{b}"); os.system(s)\n', id="pep701-adjacent-literals"),
    pytest.param('s = f"""\n{a["x"]  # a comment\n}"""; os.system(s)\n', id="pep701-comment-in-field"),
    pytest.param("def f[T](x: T) -> T:\n    return x\nos.system(f)\n", id="pep695-function"),
    pytest.param("class C[T: int = str]:\n    pass\nos.system(C)\n", id="pep695-696-class"),
    pytest.param("type Alias[T] = list[T]\nos.system(Alias)\n", id="pep695-type-statement"),
    pytest.param('s = t"{a}"; os.system(s)\n', id="pep750-template-string"),
]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the point is an interpreter that lacks the syntax")
@pytest.mark.parametrize("src", NEWER)
def test_newer_syntax_parses_with_positions_kept(src: str) -> None:
    with pytest.raises(SyntaxError):
        ast.parse(src)  # this interpreter's own parser rejects it
    tree = parse_module(src)
    (call,) = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "system"]
    line = src.splitlines()[call.lineno - 1]
    assert line.encode()[call.col_offset:].startswith(b"os.system(")  # ast columns count bytes, as in the original


def test_an_f_string_keeps_its_expressions_as_a_joined_string() -> None:
    tree = parse_module('s = f"a{d["k"]!r:>{w}}b"\n')
    (joined,) = [n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)]
    assert [ast.unparse(v.value) for v in joined.values] == ["d['k']", "w"]
    assert (joined.lineno, joined.col_offset) == (1, 4)


def test_except_without_parentheses_is_a_tuple_of_types() -> None:
    tree = parse_module("try:\n    pass\nexcept ValueError, TypeError:\n    pass\n")
    (handler,) = [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)]
    assert isinstance(handler.type, ast.Tuple) and len(handler.type.elts) == 2


def test_text_no_python_accepts_keeps_its_own_error() -> None:
    with pytest.raises(SyntaxError) as error:
        parse_module("x = 1\ndef f(:\n")
    assert error.value.lineno == 2


def test_a_finding_in_newer_syntax_is_reported_where_it_is() -> None:
    src = ('import os\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.get("/p")\ndef ping():\n'
           '    return os.system(f"ping {request.args["host"]}")\n')
    (finding,) = detect([SourceFile("app.py", src)]).findings
    assert (finding.rule_id, finding.location.start_line, finding.location.start_col) == ("PF-CMD", 6, 11)
