from __future__ import annotations

import pytest

from provenfix.codemods.code_eval import fix_eval

from .harness import assert_unfixable, load, run_and_assert, span_at


@pytest.mark.parametrize(
    "call",
    ["eval(expr)", "eval(expr, {})", "eval(expr, {}, {})", 'eval(expr, {"__builtins__": {}})'],
)
def test_eval_becomes_literal_eval(call: str) -> None:
    run_and_assert(
        fix_eval,
        f'"""Calculator."""\n\ndef compute(expr):\n    return {call}  # parse it\n',
        '"""Calculator."""\nimport ast\n\ndef compute(expr):\n    return ast.literal_eval(expr)  # parse it\n',
        at=call,
    )


def test_existing_ast_import_is_reused() -> None:
    run_and_assert(
        fix_eval,
        "import ast as _ast\n\nvalue = eval(input())\n",
        "import ast as _ast\n\nvalue = _ast.literal_eval(input())\n",
        at="eval(input())",
    )


def test_refusals() -> None:
    assert_unfixable(fix_eval, "def f(code):\n    exec(code)\n", at="exec(code)", match="exec runs statements")
    taken = "from mylib import ast\n\ndef f(s):\n    return eval(s)\n"
    assert_unfixable(fix_eval, taken, at="eval(s)", match="'ast' is bound to something else")
    shadowed = "def eval(s):\n    return s\n\ndef f(s):\n    return eval(s)\n"
    assert_unfixable(
        fix_eval, shadowed, at=lambda n: type(n).__name__ == "Call", match="not a call of the builtin eval"
    )


def test_fixed_code_parses_literals_but_runs_nothing() -> None:
    source = "def compute(expr):\n    return eval(expr)\n"
    fixed = load(fix_eval(source, span_at(source, "eval(expr)")), "compute")
    assert fixed("[1, 'two', {3: None}]") == [1, "two", {3: None}]
    with pytest.raises(ValueError):
        fixed("__import__('os').getcwd()")
