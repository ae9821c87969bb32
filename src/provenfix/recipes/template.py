"""Server-side template injection (CWE-1336): a template's source built from input.

`render_template_string(f"<h1>Hello {name}</h1>")` makes the input part of the template, so
`{{ config }}` in it shows the app's secrets and `{{ ''.__class__.__mro__ ... }}` runs code on the
server. Detects Flask's and Quart's `render_template_string`, `jinja2.Template` and
`Environment.from_string` (a sandboxed environment excepted) on templates that carry input; the
fix keeps the template constant and passes the input as a variable.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, bare_names

RENDER_STRING = frozenset({"flask.render_template_string", "flask.templating.render_template_string",
                           "quart.render_template_string"})
TEMPLATES = frozenset({"jinja2.Template", "jinja2.environment.Template", "mako.template.Template"})
SANDBOXED = ("jinja2.sandbox.",)
MARKERS = {"{{ 1337*1337 }}": "1787569", "{{ 7*'7' }}": "7777777"}
UNFIXED = ("the template's values would have to be passed where it is rendered, which is another call: "
           "make the template a constant and pass the input to render() as a variable")


class TemplateInjection(Recipe):
    rule_id = "PF-SSTI"
    kind = "ssti"
    call_names = bare_names(RENDER_STRING | TEMPLATES) | {"from_string"}
    reports_pass_through = True  # a template taken whole from a caller is code the caller chooses

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        method = site.node.func.attr if isinstance(site.node.func, ast.Attribute) else None
        from_string = method == "from_string" and not (site.receiver_type or "").startswith(SANDBOXED) and \
            (site.receiver_type or "").startswith(("jinja2.", "flask"))
        if site.name not in RENDER_STRING and site.name not in TEMPLATES and not from_string:
            return None
        if not site.node.args or isinstance(site.node.args[0], ast.Starred):
            return None
        value = site.args[0]
        if not value.tainted(self.kind):
            return None
        detail = {} if site.name in RENDER_STRING else {"unfixable": UNFIXED}
        return Match(site, value, "a template is built from input, which can read the app's secrets and run code",
                     site.node, detail=detail)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.template import fix_template  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: fix_template(texts[path], span_of(match.target, texts[path]))}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It sends template expressions and checks the page never holds what evaluating them gives.",
            payloads=[repr(p) for p in MARKERS],
            setup="",
            check=(
                "def page(result):\n"
                "    if hasattr(result, \"get_data\"):\n"
                "        return result.get_data(as_text=True)\n"
                "    return str(result)\n"
                f"assert not any(m in page(r) for r in results for m in {list(MARKERS.values())!r}), "
                "\"input was evaluated as template code\""
            ),
            benign=['"Ada Lovelace"', '"shoes"'],
        )
