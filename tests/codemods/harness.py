"""Codemodder-style harness: point a codemod at a node found in the input, compare the output."""

from __future__ import annotations

import ast
import difflib
import textwrap
from collections.abc import Callable

import pytest

from provenfix.codemods.base import Span, Unfixable, span_of

Codemod = Callable[..., str]
Matcher = str | Callable[[ast.AST], bool]


def function(name: str) -> Callable[[ast.AST], bool]:
    """Match the definition of function ``name``."""
    return lambda node: isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name


def span_at(source: str, at: Matcher) -> Span:
    """The Span of the first node (source order, outermost first) matching ``at``.

    A string matches a node whose exact source text is that string.
    """
    nodes = [n for n in ast.walk(ast.parse(source)) if hasattr(n, "end_col_offset")]
    nodes.sort(key=lambda n: (n.lineno, n.col_offset, -n.end_lineno, -n.end_col_offset))  # type: ignore[attr-defined]
    for node in nodes:
        if (callable(at) and at(node)) or (isinstance(at, str) and ast.get_source_segment(source, node) == at):
            return span_of(node, source)
    raise AssertionError(f"no node matches {at!r}")


def run_and_assert(codemod: Codemod, input_source: str, expected_source: str, *, at: Matcher, **kw: object) -> str:
    source = textwrap.dedent(input_source)
    expected = textwrap.dedent(expected_source)
    output = codemod(source, span_at(source, at), **kw)
    if output != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), output.splitlines(True), "expected", "got"))
        pytest.fail(f"codemod output differs:\n{diff}", pytrace=False)
    compile(output, "<fixed>", "exec")
    return output


def assert_unfixable(codemod: Codemod, input_source: str, *, at: Matcher, match: str, **kw: object) -> None:
    source = textwrap.dedent(input_source)
    with pytest.raises(Unfixable, match=match):
        codemod(source, span_at(source, at), **kw)


def load(source: str, name: str, **env: object) -> Callable[..., object]:
    """Execute ``source`` as a module and return its function ``name``."""
    namespace: dict[str, object] = {"__name__": "fixed_under_test", **env}
    exec(compile(source, "<fixed>", "exec"), namespace)  # noqa: S102 - running the rewritten code is the test
    return namespace[name]  # type: ignore[return-value]
