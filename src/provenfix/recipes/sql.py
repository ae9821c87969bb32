"""SQL injection (CWE-89): a query's text is built from untrusted data.

Detects DB-API `execute`/`executemany`/`executescript` whose query string interpolates
input; rewrites the values into bound parameters in the driver's paramstyle.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import span_of
from provenfix.flow.index import ModuleInfo, ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import (
    Match,
    ProofPlan,
    Recipe,
    bare_names,
    helper_called_at,
    input_shape,
    rewrite_with_helper,
    user_controlled,
)

EXECUTE = ("execute", "executemany", "executescript")
# Functions whose argument is SQL text, and ORM methods that take raw SQL (with the keywords that do).
SQL_TEXT = frozenset({"sqlalchemy.text", "sqlalchemy.sql.text", "sqlalchemy.sql.expression.text",
                      "django.db.models.expressions.RawSQL", "django.db.models.RawSQL"})
SQL_METHODS = {"exec_driver_sql": (), "raw": (), "extra": ("where", "select", "tables", "order_by")}
ASYNC_QUERIES = ("fetch", "fetchrow", "fetchval", "fetchall", "fetchone")  # asyncpg, aiosqlite, databases
# Where a DB-API connection or cursor comes from (a receiver's type starts with one of these).
DB_MODULES = ("sqlite3", "psycopg", "psycopg2", "pymysql", "MySQLdb", "mysql.connector", "django.db", "sqlalchemy",
              "asyncpg", "aiosqlite", "aiomysql", "aiopg", "oracledb", "cx_Oracle", "pyodbc", "duckdb", "pg8000",
              "snowflake.connector", "databases", "psycopg_pool")
# A receiver of unknown type is a database handle only when its name says so.
DB_NAMES = re.compile(r"(?:^|_)(?:cur|cursor|conn|connection|con|db|database|session|tx|txn)(?:$|_)|^c$")
UNFIXED = "the query text comes from input and is not an execute() call the rewrite knows; bind the values as parameters"
FORMAT_DRIVERS = ("psycopg", "psycopg2", "pymysql", "MySQLdb", "mysql", "django", "pgdb")
MARKER = "provenfix-sql-marker"
BENIGN = {"int": ["1", "2"], "id": ['"1"', '"2"'], "host": ['"apple"'], "dir": ['"apple"'], "file": ['"apple"'],
          "word": ['"apple"', '"pear"']}


class SqlInjection(Recipe):
    rule_id = "PF-SQL"
    kind = "sql"
    call_names = frozenset(EXECUTE) | bare_names(SQL_TEXT) | frozenset(SQL_METHODS) | frozenset(ASYNC_QUERIES)
    equivalent_ids = frozenset({"B608", "S608"})
    sanitizers = frozenset({"psycopg2.extensions.quote_ident", "psycopg.sql.Identifier", "psycopg2.sql.Identifier"})
    sanitizing_methods = frozenset({"quote_name", "quote_identifier", "quote_ident"})  # ops.quote_name(x)
    harness = "sql"

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        method = (site.name or "").rsplit(".", 1)[-1]
        if site.name in SQL_TEXT:
            query = site.args[0] if site.args else site.keywords.get("text") or site.keywords.get("sql")
            return self._match(site, query, f"SQL text given to `{site.name}()` is built from untrusted data", UNFIXED)
        if method in SQL_METHODS and isinstance(site.node.func, ast.Attribute):
            queries = [site.args[0]] if site.args else []
            queries += [v for k, v in site.keywords.items() if k in SQL_METHODS[method]]
            query = next((q for q in queries if user_controlled(q, self.kind)), None)
            return self._match(site, query, f"SQL text passed to `{method}()` is built from untrusted data", UNFIXED)
        if method not in EXECUTE and method not in ASYNC_QUERIES or analysis.index.function(site.name):
            return None
        if not on_database(site, async_only=method not in EXECUTE):
            return None  # `.execute` of something that is not a database: a command, a task, a job
        return self._match(site, site.args[0] if site.args else None,
                           f"SQL text passed to `{method}()` is built from untrusted data",
                           None if method in EXECUTE else UNFIXED, helper=helper_called_at(site, analysis))

    def _match(self, site: CallSite, query, message: str, unfixable: str | None, helper=None) -> Match | None:
        if query is None or not user_controlled(query, self.kind):
            return None
        detail = {"paramstyle": paramstyle(site.module)} | ({"unfixable": unfixable} if unfixable else {})
        return Match(site, query, message, site.node, helper=helper, detail=detail)

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


def on_database(site: CallSite, async_only: bool = False) -> bool:
    """The receiver of `x.execute(...)` is a DB-API connection or cursor (or a known driver's or ORM's
    object): by its type when the analysis knows it, else by its name; never `self`, `super()` or an
    instance of a project class (Django's `Command.execute`, a job runner's)."""
    func = site.node.func
    if not isinstance(func, ast.Attribute):
        return False
    kind = site.receiver_type
    if kind is not None:
        return kind.startswith(DB_MODULES)
    if async_only:
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call):  # `conn.cursor().execute(...)`
        return isinstance(receiver.func, ast.Attribute) and receiver.func.attr == "cursor"
    name = receiver.attr if isinstance(receiver, ast.Attribute) else receiver.id if isinstance(receiver, ast.Name) else ""
    return name not in ("self", "cls") and DB_NAMES.search(name) is not None
