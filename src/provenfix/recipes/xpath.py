"""XPath injection (CWE-643): an XPath query built from input.

`root.xpath(f"//user[@name='{name}']")` with a name of `' or '1'='1` matches every user, and
`' or provenfix_probe() or '` runs any function the query can reach. Detects lxml's
`.xpath()`, `XPath()` and `ETXPath()`, parsel-style `.xpath()` and elementpath's `select`,
`iter_select` and `Selector` on queries that carry input; rewrites the query so each value is
one XPath string literal.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument, bare_names

# Query-taking calls → (position of the query, its keyword).
COMPILERS = {"lxml.etree.XPath": (0, "path"), "lxml.etree.ETXPath": (0, "path")}
ELEMENTPATH = {"elementpath.select": (1, "path"), "elementpath.iter_select": (1, "path"),
               "elementpath.Selector": (0, "path")}
METHOD = "xpath"  # lxml elements and trees, parsel/scrapy selectors: `.xpath(query)`
HELPER = "_xpath_literal"
HELPER_CODE = '''\
def _xpath_literal(value):
    """`value` as one XPath string literal, whatever quotes it holds: input stays data in a query."""
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \\"'\\", ".join(f"'{part}'" for part in text.split("'")) + ")"
'''
PROBE = "provenfix_probe"


class XPathInjection(Recipe):
    rule_id = "PF-XPATH"
    kind = "xpath"
    call_names = bare_names(frozenset(COMPILERS) | frozenset(ELEMENTPATH)) | {METHOD}
    helper_code = HELPER_CODE
    quote_cleared_is_safe = True

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name in COMPILERS or site.name in ELEMENTPATH:
            position, keyword = {**COMPILERS, **ELEMENTPATH}[site.name]
        elif isinstance(site.node.func, ast.Attribute) and site.node.func.attr == METHOD:
            position, keyword = 0, "_path"
        else:
            return None
        if (query := argument(site, position, keyword)) is None:
            return None
        node, value = query
        if not value.tainted(self.kind):
            return None
        detail = {"unfixable": "elementpath queries are not rewritten yet: pass the value as a variable "
                               "(`elementpath.select(root, '...[@id=$id]', variables={'id': value})`)"} \
            if site.name in ELEMENTPATH else {}
        return Match(site, value, "an XPath query is built from input, which can change what it selects", node,
                     detail=detail)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.xpath import fix_xpath  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: fix_xpath(texts[path], span_of(match.target, texts[path]), HELPER, HELPER_CODE)}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc=f"It sends values that close the query's string literal and call `{PROBE}()`, an XPath extension "
                "function it registers, and checks the function never ran.",
            payloads=[f"\"' or {PROBE}() or '\"", f"'\" or {PROBE}() or \"'", f'"1 or {PROBE}()"'],
            setup=(
                "import lxml.etree\n"
                "probes = []\n"
                f"lxml.etree.FunctionNamespace(None)[{PROBE!r}] = lambda context, *args: probes.append(args) or False"
            ),
            check=f'assert not probes, "input ran as XPath syntax: the query called {PROBE}()"',
            benign=['"1001"', '"Smith"'],
        )
