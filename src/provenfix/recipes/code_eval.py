"""Code injection (CWE-95): `eval`/`exec` run text that untrusted data controls.

Where the code evaluates input to read a Python literal (a list, a dict, a number),
`ast.literal_eval` does the same job without running code. Where it evaluates arithmetic (a
calculator, a formula: the function's names say so), an inserted evaluator of numbers and
operators does. Where it really runs statements or other expressions, no safe rewrite exists and
the finding is reported unfixed.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Recipe, bare_names, Match, ProofPlan, user_controlled

SINKS = frozenset({"builtins.eval", "builtins.exec"})
# An interactive interpreter fed a line of source: the same as exec, with no literal to fall back to.
CONSOLES = frozenset({f"code.{cls}().{method}" for cls in ("InteractiveConsole", "InteractiveInterpreter")
                      for method in ("push", "runsource", "runcode")})
EXPRESSION_WORDS = re.compile(r"calc|comput|arith|formula|expr|math|evaluate|solve", re.IGNORECASE)
ARITHMETIC = "_arithmetic"
ARITHMETIC_CODE = '''\
def _arithmetic(text):
    """The value of an arithmetic expression (numbers, + - * / // % **, parentheses), computed
    without running code: anything else, a name or a call among them, is a ValueError."""
    import ast
    import operator

    operators = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
                 ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
                 ast.USub: operator.neg, ast.UAdd: operator.pos}

    def value(node):
        if isinstance(node, ast.Constant) and type(node.value) in (int, float, complex):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in operators:
            left, right = value(node.left), value(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 1000:
                raise ValueError("exponent too large")  # 9**9**9 would run for hours
            return operators[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and type(node.op) in operators:
            return operators[type(node.op)](value(node.operand))
        raise ValueError(f"not arithmetic: {ast.unparse(node)!r}")

    try:
        tree = ast.parse(str(text).strip(), mode="eval")
    except SyntaxError:
        raise ValueError(f"not arithmetic: {text!r}") from None
    return value(tree.body)
'''
ESCAPE = (
    "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == '_wrap_close'][0]"
    ".__init__.__globals__['system']('touch %s')"
)


class CodeInjection(Recipe):
    rule_id = "PF-CODE"
    kind = "code"
    call_names = bare_names(SINKS | CONSOLES)
    equivalent_ids = frozenset({"B307", "B102", "S307", "S102"})
    reports_pass_through = True
    helper_code = ARITHMETIC_CODE

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name not in SINKS | CONSOLES or not site.args or isinstance(site.node.args[0], ast.Constant):
            return None
        if not user_controlled(site.args[0], self.kind):
            return None
        what = site.name.rsplit(".", 1)[-1]
        detail = {"unfixable": "an interactive interpreter runs whatever source it is given; "
                               "accept only a fixed set of commands"} if site.name in CONSOLES else {}
        fn = site.function
        if site.name == "builtins.eval" and EXPRESSION_WORDS.search(" ".join([fn.qualname, *fn.params] if fn else [])):
            detail["arithmetic"] = True  # a calculator: the input is an expression, not a literal
        return Match(site, site.args[0], f"untrusted data is run as Python code by `{what}()`", site.node, detail=detail)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import code_eval as codemod  # LibCST loads only when a fix is made

        if match.detail.get("arithmetic"):
            from provenfix.codemods.wrap import call_helper_instead

            if len(match.site.node.args) != 1 or match.site.node.keywords:
                raise Unfixable("eval is given its own globals or locals: names the expression may use, which "
                                "an arithmetic evaluator has none of")
            path = match.site.module.path
            return {path: call_helper_instead(texts[path], span_of(match.target, texts[path]), ARITHMETIC, ARITHMETIC_CODE)}
        arg = match.site.node.args[0]
        if isinstance(arg, (ast.BinOp, ast.JoinedStr)):
            raise Unfixable("the evaluated text is assembled from code fragments, not a literal value")
        path = match.site.module.path
        return {path: codemod.fix_eval(texts[path], span_of(match.target, texts[path]))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It submits Python code (with and without builtins) and checks that none of it ran.",
            payloads=[
                "\"__import__('pathlib').Path(%r).touch()\" % str(canary)",
                f"{ESCAPE!r} % str(canary)",
            ],
            setup="",
            check='assert not canary.exists(), "the input was executed as Python code"',
            # What eval was used for: literals, or arithmetic in a calculator.
            benign=[repr("2+3*4"), repr("(1.5+2)/7"), repr("2**10 - -1")] if match.detail.get("arithmetic")
            else [repr("[1, 2, 3]"), repr("['work', 'ideas']"), repr("{'a': 1}")],
        )
