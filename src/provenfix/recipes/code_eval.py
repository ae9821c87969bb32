"""Code injection (CWE-95): `eval`/`exec` run text that untrusted data controls.

Where the code evaluates input to read a Python literal (a list, a dict, a number),
`ast.literal_eval` does the same job without running code. Where it really evaluates
expressions or statements, no safe rewrite exists and the finding is reported unfixed.
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

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name not in SINKS | CONSOLES or not site.args or isinstance(site.node.args[0], ast.Constant):
            return None
        if not user_controlled(site.args[0], self.kind):
            return None
        what = site.name.rsplit(".", 1)[-1]
        detail = {"unfixable": "an interactive interpreter runs whatever source it is given; "
                               "accept only a fixed set of commands"} if site.name in CONSOLES else {}
        return Match(site, site.args[0], f"untrusted data is run as Python code by `{what}()`", site.node, detail=detail)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import code_eval as codemod  # LibCST loads only when a fix is made

        fn = match.site.function
        names = " ".join([fn.qualname, *fn.params] if fn else [])
        if match.site.name == "builtins.eval" and EXPRESSION_WORDS.search(names):
            raise Unfixable("the code evaluates arbitrary expressions (arithmetic), not a literal; "
                            "replace eval with a real expression parser or an allow-list")
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
            benign=[repr("[1, 2, 3]"), repr("['work', 'ideas']"), repr("{'a': 1}")],  # literals: what eval was used for
        )
