"""Render a proof test: reach the real entry point with each payload, then assert no harm was done.

The test calls the vulnerable function (or requests the Flask route through the app's
test client) exactly as a caller would; the recipe supplies payloads and the check.
Hostile input that the fixed code refuses by raising is recorded, not re-raised: a
refusal is the fix working.
"""

from __future__ import annotations

import ast
import re
import textwrap

from provenfix.flow.index import FunctionInfo
from provenfix.model import EntryPoint, Finding
from provenfix.recipes.base import ProofPlan

DB_PARAMS = {"conn", "connection", "db", "database", "con", "cursor", "cur"}
DIR_PARAMS = {"base_dir", "root", "directory", "folder", "base", "root_dir", "data_dir"}

SQL_RECORDER = '''
import sqlite3

EXECUTED: list[str] = []


class _Recording:
    """Records the SQL text of every statement, on a cursor or on the connection itself."""

    def execute(self, sql, *args):
        EXECUTED.append(str(sql))
        return super().execute(sql, *args)

    def executemany(self, sql, *args):
        EXECUTED.append(str(sql))
        return super().executemany(sql, *args)

    def executescript(self, sql):
        EXECUTED.append(str(sql))
        return super().executescript(sql)


class _RecordingCursor(_Recording, sqlite3.Cursor):
    pass


class _RecordingConnection(_Recording, sqlite3.Connection):
    def cursor(self, factory=_RecordingCursor):
        return super().cursor(factory)


_real_connect = sqlite3.connect


def recording_connect(database=":memory:", *args, **kwargs):
    """sqlite3.connect that records every SQL text the code sends to the database."""
    kwargs["factory"] = _RecordingConnection
    return _real_connect(database, *args, **kwargs)
'''


def render(finding: Finding, plan: ProofPlan, fn: FunctionInfo, *, needs_sql: bool = False) -> str:
    entry = finding.entry
    assert entry is not None
    head = f'''"""ProvenFix proof test for {finding.rule_id} (CWE-{finding.cwe}) at {finding.location.path}:{finding.location.start_line}.

{plan.doc}
It fails while the vulnerability is present and passes once the fix is applied.
"""

import asyncio
import inspect
import random
from pathlib import Path

import {entry.module} as target
'''
    parts = [head]
    if needs_sql:
        parts.append(SQL_RECORDER)
    parts.append(_invoker(entry))
    parts.append(_test_body(finding, plan, entry, fn, needs_sql))
    return "\n\n".join(p.strip("\n") + "\n" for p in parts)


def _invoker(entry: EntryPoint) -> str:
    if entry.kind == "route":
        source = f"from {entry.app_module} import {entry.app_factory or entry.app_object} as _app_source"
        make = "_app_source()" if entry.app_factory else "_app_source"
        return f'''

{source}


def _client():
    app = {make}
    app.config.update(TESTING=True, PROPAGATE_EXCEPTIONS=False)
    for endpoint, view in app.view_functions.items():
        if getattr(view, "__module__", None) == {entry.module!r} and getattr(view, "__qualname__", None) == {entry.qualname!r}:
            rule = next(iter(app.url_map.iter_rules(endpoint)))
            import re as _re
            return app.test_client(), _re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "1", rule.rule)
    raise LookupError("route for {entry.qualname} not found in the app")
'''
    if entry.class_name:
        method = entry.qualname.rsplit(".", 1)[-1]
        target_expr = f'''    cls = target.{entry.qualname.rsplit(".", 1)[0]}
    try:
        obj = cls()
    except TypeError:
        obj = cls.__new__(cls)
    fn = getattr(obj, {method!r})'''
    else:
        target_expr = f"    fn = target.{entry.qualname}"
    return f'''

def _call(**kwargs):
{target_expr}
    result = fn(**kwargs)
    if inspect.isawaitable(result):
        async def _await():
            return await result
        result = asyncio.run(_await())
    if inspect.isgenerator(result):
        result = list(result)
    return result
'''


def _attempt_call(entry: EntryPoint, fn: FunctionInfo, needs_sql: bool) -> tuple[str, str]:
    """(set-up lines, the call expression with `payload` bound to the tainted input)."""
    if entry.kind == "route":
        field_kind, _, key = (entry.request_field or "args:").partition(":")
        key = key or "q"
        method = "get" if field_kind in ("args", "values") and "GET" in entry.methods else (
            next((m.lower() for m in entry.methods if m != "GET"), "post"))
        if field_kind in ("args", "values"):
            send = f"query_string={{{key!r}: payload}}"
        elif field_kind == "json":
            send = f"json={{{key!r}: payload}}"
        elif field_kind == "data":
            send = "data=payload"
        elif field_kind == "form":
            send = f"data={{{key!r}: payload}}"
        else:
            send = f"query_string={{{key!r}: payload}}"
        return "    client, url = _client()\n", f"client.{method}(url, {send})"
    args = [f"{entry.tainted_param}=payload"] if entry.tainted_param else []
    defaults = _params_with_defaults(fn)
    for name, annotation in _annotations(fn).items():
        if name == entry.tainted_param or name in defaults or name in ("self", "cls"):
            continue
        args.append(f"{name}={_plausible(name, annotation, needs_sql)}")
    return "", f"_call({', '.join(args)})"


def _test_body(finding: Finding, plan: ProofPlan, entry: EntryPoint, fn: FunctionInfo, needs_sql: bool) -> str:
    setup_client, call = _attempt_call(entry, fn, needs_sql)
    name = re.sub(r"\W+", "_", f"{finding.rule_id}_{entry.qualname}").lower()
    sql_patch = "    monkeypatch.setattr(sqlite3, \"connect\", recording_connect)\n" if needs_sql else ""
    feed = "        payload = payload_file(payload)\n" if plan.file_payload else ""
    before_each = f"        {plan.before_each}\n" if plan.before_each else ""
    file_helper = (
        "\n    def payload_file(text):\n"
        "        path = tmp_path / f\"payload-{len(results)}.txt\"\n"
        "        path.write_text(text)\n"
        "        return str(path)\n\n"
    ) if plan.file_payload else ""
    body = f'''

def test_{name}_is_not_exploitable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    canary = tmp_path / "provenfix-canary"
{sql_patch}{textwrap.indent(plan.setup.strip(), "    ") if plan.setup.strip() else ""}
{setup_client}    results = []
{file_helper}    for payload in [{", ".join(plan.payloads)}]:
{feed}{before_each}        try:
            results.append({call})
        except Exception as exc:  # the fixed code may refuse hostile input by raising
            results.append(exc)
{textwrap.indent(plan.check.strip(), "    ")}
'''
    return body


def _params_with_defaults(fn: FunctionInfo) -> set[str]:
    a = fn.node.args
    positional = [*a.posonlyargs, *a.args]
    with_defaults = {p.arg for p in positional[len(positional) - len(a.defaults):]} if a.defaults else set()
    with_defaults |= {p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None}
    if a.vararg:
        with_defaults.add(a.vararg.arg)
    if a.kwarg:
        with_defaults.add(a.kwarg.arg)
    return with_defaults


def _annotations(fn: FunctionInfo) -> dict[str, str]:
    a = fn.node.args
    return {p.arg: ast.unparse(p.annotation) if p.annotation else "" for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)}


def _plausible(name: str, annotation: str, needs_sql: bool) -> str:
    """A benign value for a parameter the attack does not go through."""
    lowered = name.lower()
    if lowered in DB_PARAMS or "Connection" in annotation or "Cursor" in annotation:
        connect = "recording_connect()" if needs_sql else "__import__('sqlite3').connect(':memory:')"
        return f"{connect}.cursor()" if "cur" in lowered or "Cursor" in annotation else connect
    if lowered in DIR_PARAMS or "Path" in annotation:
        return "tmp_path" if "Path" in annotation else "str(tmp_path)"
    if annotation in ("int",) or lowered.endswith(("_id", "id", "count", "limit", "size", "length", "port", "n")):
        return "1"
    if annotation == "float":
        return "1.0"
    if annotation == "bool":
        return "False"
    if annotation.startswith(("list", "List")):
        return "[]"
    if annotation.startswith(("dict", "Dict")):
        return "{}"
    return '"test"'
