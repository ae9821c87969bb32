"""SQL injection (CWE-89): a query's text is built from untrusted data.

Detects DB-API `execute`/`executemany`/`executescript` whose query string interpolates
input; rewrites the values into bound parameters in the driver's paramstyle.
"""

from __future__ import annotations

from provenfix.codemods.base import span_of
from provenfix.flow.index import ModuleInfo, ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, helper_called_at, input_shape, rewrite_with_helper, user_controlled

EXECUTE = ("execute", "executemany", "executescript")
FORMAT_DRIVERS = ("psycopg", "psycopg2", "pymysql", "MySQLdb", "mysql", "django", "pgdb")
MARKER = "provenfix-sql-marker"
BENIGN = {"int": ["1", "2"], "id": ['"1"', '"2"'], "host": ['"apple"'], "dir": ['"apple"'], "file": ['"apple"'],
          "word": ['"apple"', '"pear"']}


class SqlInjection:
    rule_id = "PF-SQL"
    kind = "sql"
    call_names = frozenset(EXECUTE)

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if not site.name or site.name.rsplit(".", 1)[-1] not in EXECUTE or analysis.index.function(site.name):
            return None
        if not site.args or not user_controlled(site.args[0], self.kind, built_only_for_params=True):
            return None
        method = site.name.rsplit(".", 1)[-1]
        return Match(site, site.args[0], f"SQL text passed to `{method}()` is built from untrusted data",
                     site.node, helper=helper_called_at(site, analysis), detail={"paramstyle": paramstyle(site.module)})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import sql as codemod  # LibCST loads only when a fix is made

        style = match.detail["paramstyle"]
        path = match.site.module.path
        if match.helper is None:
            return {path: codemod.fix_sql(texts[path], span_of(match.target, texts[path]), paramstyle=style)}
        return rewrite_with_helper(
            match, texts, index,
            lambda text, span: codemod.fix_sql_helper(text, span, paramstyle=style),
            lambda text, span: codemod.fix_sql(text, span, paramstyle=style, query_from_helper=True),
        )

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It sends a quote-breaking payload and checks that the payload never becomes part of the SQL text.",
            payloads=[f'"1\' OR \'1\'=\'1\' -- {MARKER}"'],
            setup=(
                "if getattr(target, \"connect\", None) is _real_connect:\n"
                "    monkeypatch.setattr(target, \"connect\", _connect)"
            ),
            check=(
                f"injected = [sql for sql in EXECUTED if {MARKER!r} in sql]\n"
                "assert not injected, f\"untrusted input became SQL text: {injected[0]!r}\""
            ),
            # The behaviour test's database holds one row per table, "apple" in its text columns and
            # 1 in its numbers: a benign term or id finds it, before the fix and after.
            benign=BENIGN[input_shape(finding, match)],
        )


def paramstyle(module: ModuleInfo) -> str:
    """`?` for sqlite3; `%s` when the module talks to a format-style driver."""
    imported = {name.split(".")[0] for name in module.imports.values()}
    if "sqlite3" in imported:
        return "qmark"
    return "format" if imported & set(FORMAT_DRIVERS) else "qmark"
