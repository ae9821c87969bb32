from __future__ import annotations

import ast

import pytest

from provenfix.codemods.base import Span, Unfixable, span_of
from provenfix.codemods.yaml_load import fix_yaml


def test_span_of_counts_characters_not_bytes() -> None:
    source = 'x = "ünï€"; yaml.load(s)\n'
    call = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call))
    assert call.col_offset == 16  # bytes: ü, ï and € take 2, 2 and 3 bytes each
    assert span_of(call, source) == Span(1, 12, 1, 24)


def test_span_of_multiline_and_crlf() -> None:
    source = "a = 1\r\nb = f(\r\n  'é',\r\n  x)\r\n"
    call = next(n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call))
    assert span_of(call, source) == Span(2, 4, 4, 4)


def test_span_of_needs_a_positioned_node() -> None:
    with pytest.raises(ValueError):
        span_of(ast.Load(), "")


def test_codemods_refuse_unparsable_source_and_missing_nodes() -> None:
    with pytest.raises(Unfixable, match="does not parse"):
        fix_yaml("def (:\n", Span(1, 0, 1, 1))
    with pytest.raises(Unfixable, match="no call at line 1, column 0"):
        fix_yaml("import yaml\n", Span(1, 0, 1, 11))
