"""LDAP injection (CWE-90): a search filter built from input.

`conn.search(base, f"(uid={name})")` with a name of `*)(objectClass=*` lists every entry, and
`admin)(|(uid=*` turns a login check into one that anyone passes. Detects ldap3's
`Connection.search` and python-ldap's `search*` on filters that carry input; the fix escapes
each value with the library's own `escape_filter_chars`, so `*`, `(`, `)`, `\\` and NUL are data.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument

# Search methods → (position of the filter, its keyword), per library.
LDAP3_SEARCH = {"search": (1, "search_filter"), "extend.standard.paged_search": (1, "search_filter")}
PYTHON_LDAP_SEARCH = {m: (2, "filterstr") for m in ("search", "search_s", "search_st", "search_ext", "search_ext_s")}
ESCAPERS = {"ldap3": ("ldap3.utils.conv", "escape_filter_chars"), "ldap": ("ldap.filter", "escape_filter_chars")}
PAYLOADS = ("*)(objectClass=*", "x)(|(uid=*")


class LdapInjection(Recipe):
    rule_id = "PF-LDAP"
    kind = "ldap"
    call_names = frozenset({"search", "search_s", "search_st", "search_ext", "search_ext_s", "paged_search"})
    sanitizers = frozenset({"ldap3.utils.conv.escape_filter_chars", "ldap.filter.escape_filter_chars",
                            "ldap.filter.filter_format"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        method = site.node.func.attr if isinstance(site.node.func, ast.Attribute) else None
        if method is None or (site.name or "").startswith("re.") or (site.receiver_type or "").startswith("re."):
            return None  # `re.search` and compiled patterns share the name
        # The connection may come from a helper module: the filter's shape says LDAP then.
        library = "ldap" if "ldap" in site.module.imported_roots and "ldap3" not in site.module.imported_roots else "ldap3"
        position, keyword = (LDAP3_SEARCH if library == "ldap3" else PYTHON_LDAP_SEARCH).get(method, (None, ""))
        if position is None or (given := argument(site, position, keyword)) is None:
            return None
        node, value = given
        if not value.tainted(self.kind):
            return None
        if not site.module.imported_roots & {"ldap3", "ldap"} and not any(map(_filter_text, (node, *value.joins))):
            return None
        return Match(site, value, "an LDAP search filter is built from input, which can change what it matches",
                     node, detail={"library": library})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.escape import escape_spliced  # LibCST loads only when a fix is made

        path = match.site.module.path
        module, function = ESCAPERS[match.detail["library"]]
        return {path: escape_spliced(texts[path], span_of(match.target, texts[path]), function, module)}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It sends filter syntax and checks no search filter the code sends holds it unescaped: ldap3's binds "
                "and searches are recorded, never sent to a server.",
            payloads=[repr(p) for p in PAYLOADS],
            setup=(
                "import ldap3\n"
                "filters = []\n"
                "def _recording_search(self, search_base, search_filter, *args, **kwargs):\n"
                "    filters.append(search_filter)\n"
                "    return False  # nothing found: the attempt's outcome is the filter it sent\n"
                "monkeypatch.setattr(ldap3.Connection, \"search\", _recording_search)\n"
                "monkeypatch.setattr(ldap3.Connection, \"bind\", lambda self, *args, **kwargs: True)"
            ),
            check=(
                "assert filters, \"no LDAP search was made\"\n"
                f"assert not any(p in f for f in filters for p in {list(PAYLOADS)!r}), "
                "f\"input reached the filter as LDAP syntax: {filters}\""
            ),
            benign=['"alice"', '"Mr Smith"'],
        )


def _filter_text(node: ast.AST) -> bool:
    """The literal text of a string being built reads as an LDAP filter: `(uid=`, `(&(`, `(|(`."""
    constants = [n for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    text = "".join(n.value for n in sorted(constants, key=lambda n: (n.lineno, n.col_offset)))
    return text.lstrip().startswith("(") and "=" in text and ")" in text
