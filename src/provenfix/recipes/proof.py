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

# A Starlette request's fields → the test client's argument that sends them.
STARLETTE_FIELDS = {"query_params": "params", "headers": "headers", "cookies": "cookies", "form": "data", "json": "json"}
DB_PARAMS = {"conn", "connection", "db", "database", "con", "cursor", "cur"}
DIR_PARAMS = {"base_dir", "root", "directory", "folder", "base", "root_dir", "data_dir", "dest", "destination",
              "target_dir", "output_dir", "out_dir", "extract_to", "dir_path", "dirpath", "dirname", "base_path",
              "root_path", "folder_path", "directory_path", "dir"}

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

# A behaviour test's database holds the project's tables with one plausible row each, so that a
# benign query finds something: a fix that returns nothing then differs from the original.
SQL_SEEDING = '''
import os

CONNECTIONS: list = []
BENIGN_WORD = "apple"


def seeded_connect(database=":memory:", *args, **kwargs):
    fresh = database == ":memory:" or not os.path.exists(database)
    conn = recording_connect(database, *args, **kwargs)
    CONNECTIONS.append(conn)
    if fresh:
        _seed(conn)
    return conn


def _schemas():
    texts = [v for v in vars(target).values() if isinstance(v, str) and "create table" in v.lower()]
    here = Path(getattr(target, "__file__", None) or ".").parent
    return texts + [p.read_text(errors="replace") for p in sorted(here.glob("*.sql"))]


def _sample(declared):
    declared = (declared or "").upper()
    if "INT" in declared or "BOOL" in declared:
        return 1
    if any(word in declared for word in ("REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL")):
        return 1.0
    if "BLOB" in declared:
        return BENIGN_WORD.encode()
    if "DATE" in declared or "TIME" in declared:
        return "2000-01-01 00:00:00"
    return BENIGN_WORD


def _tables(conn):
    query = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    return [row[0] for row in sqlite3.Connection.execute(conn, query).fetchall()]


def _seed(conn):
    for script in _schemas():
        try:
            sqlite3.Connection.executescript(conn, script)
        except sqlite3.Error:
            pass
    for table in _tables(conn):
        columns = sqlite3.Connection.execute(conn, f'PRAGMA table_info("{table}")').fetchall()
        names = ", ".join(f'"{c[1]}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        try:
            sqlite3.Connection.execute(conn, f'INSERT INTO "{table}" ({names}) VALUES ({marks})', [_sample(c[2]) for c in columns])
        except sqlite3.Error:
            pass
    sqlite3.Connection.commit(conn)


def database_rows(conn, plain):
    """Every table's rows, sorted: what the call left in a database it was given or opened."""
    try:
        tables = {}
        for table in _tables(conn):
            cursor = sqlite3.Connection.cursor(conn)
            cursor.row_factory = None
            rows = sqlite3.Cursor.execute(cursor, f'SELECT * FROM "{table}"').fetchall()
            tables[table] = sorted(plain.text(repr(tuple(row))) for row in rows)
        return tables
    except sqlite3.Error as exc:
        return {"!raised": type(exc).__name__}
'''

# What a behaviour test observes, made deterministic: the run's tmp dir, times, uuids and object
# addresses are masked, so that the original's and the patched code's observations compare equal
# when they do the same thing.
OBSERVER = r'''
import hashlib
import json
import os
import re
import sqlite3
import subprocess

_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_UUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
_TEXT = 2000
_ITEMS = 200


class Plain:
    """A call's result as plain JSON; special values are tagged with a "!" key."""

    def __init__(self, tmp):
        self.tmp = sorted({str(tmp), os.path.realpath(tmp)}, key=len, reverse=True)

    def text(self, value):
        for prefix in self.tmp:
            value = value.replace(prefix, "<tmp>")
        value = _TIME.sub("<time>", _UUID.sub("<uuid>", _ADDRESS.sub("0x?", value)))
        return value if len(value) <= _TEXT else value[:_TEXT] + "..."

    def value(self, x, depth=0):
        if isinstance(x, BaseException):
            return {"!raised": type(x).__name__}
        if x is None or isinstance(x, (bool, int, float)):
            return x
        if isinstance(x, str):
            return self.text(x)
        if depth > 8:
            return {"!deep": type(x).__name__}
        if isinstance(x, (bytes, bytearray)):
            return {"!bytes": self.text(bytes(x).decode("utf-8", "replace"))}
        if isinstance(x, os.PathLike):
            return {"!path": self.text(os.fspath(x))}
        if hasattr(x, "status_code") and (hasattr(x, "get_data") or hasattr(x, "content")):  # a Flask or Django response
            body = x.get_data(as_text=True) if hasattr(x, "get_data") else bytes(x.content).decode("utf-8", "replace")
            try:
                shown = self.value(json.loads(body), depth + 1)
            except ValueError:
                shown = self.text(body)
            mimetype = getattr(x, "mimetype", None) or str(x.headers.get("Content-Type", "")).partition(";")[0]
            return {"!response": {"status": x.status_code, "mimetype": mimetype, "body": shown}}
        if isinstance(x, subprocess.CompletedProcess):  # its args say how it ran, not what it did
            return {"!process": [x.returncode, self.value(x.stdout, depth + 1), self.value(x.stderr, depth + 1)]}
        if isinstance(x, dict):
            items = list(x.items())[:_ITEMS]
            if all(isinstance(k, str) and not k.startswith("!") for k, _ in items):
                return {self.text(k): self.value(v, depth + 1) for k, v in items}
            return {"!dict": [[self.value(k, depth + 1), self.value(v, depth + 1)] for k, v in items]}
        if isinstance(x, list):
            return [self.value(v, depth + 1) for v in x[:_ITEMS]]
        if isinstance(x, (tuple, sqlite3.Row)):
            return {"!tuple": [self.value(v, depth + 1) for v in tuple(x)[:_ITEMS]]}
        if isinstance(x, (set, frozenset)):
            return {"!set": sorted(json.dumps(self.value(v, depth + 1), sort_keys=True) for v in x)[:_ITEMS]}
        return {"!" + type(x).__name__: self.text(repr(x))}

    def command(self, x, depth=0):
        """As value(), but a program that is not installed where the tests run is one observation
        whichever way it shows: the shell's exit status 127 (os.system: 127 << 8), or, without a
        shell, FileNotFoundError. Neither says anything about the fix."""
        code = getattr(x, "returncode", None)
        if isinstance(x, FileNotFoundError) or (type(x) is int and x in (127, 127 << 8)) or (
                isinstance(x, (subprocess.CompletedProcess, subprocess.CalledProcessError)) and code == 127):
            return {"!missing-program": True}
        return self.value(x, depth)

    def shape(self, x, depth=0):
        """Type and length only: for output meant to differ on every call (a random token)."""
        if isinstance(x, BaseException):
            return {"!raised": type(x).__name__}
        sized = isinstance(x, (str, bytes, bytearray, list, tuple))
        return {"!shape": type(x).__name__, "len": len(x) if sized else None}

    def type(self, x, depth=0):
        """The type only: for output a fix changes by design (a digest of another algorithm, a
        ciphertext under a random nonce), where what must hold is that a value still comes back."""
        if isinstance(x, BaseException):
            return {"!raised": type(x).__name__}
        return {"!type": type(x).__name__}

    def files(self, root, contents=True):
        """Every file and folder under the test's tmp dir: small texts as they are, others by digest
        (without `contents`, a file is just there: what it holds is what the fix changes)."""
        found = {}
        for path in sorted(root.rglob("*"))[:_ITEMS]:
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + self.text(os.readlink(path))
            elif path.is_dir():
                found[rel] = "/"
            elif not contents:
                found[rel] = "file"
            else:
                data = path.read_bytes()
                try:
                    shown = data.decode() if len(data) <= 200 else None
                except UnicodeDecodeError:
                    shown = None
                found[rel] = self.text(shown) if shown is not None else f"sha256:{hashlib.sha256(data).hexdigest()[:16]} ({len(data)} bytes)"
        return found
'''


def render(finding: Finding, plan: ProofPlan, fn: FunctionInfo | None, *, needs_sql: bool = False) -> str:
    """`fn`: the function the entry point calls; None for a script entry (module-level code)."""
    entry = finding.entry
    assert entry is not None
    parts = [_head("proof", finding, entry, f"{plan.doc}\nIt fails while the vulnerability is present and passes once the fix is applied.")]
    if needs_sql:
        parts += [SQL_RECORDER, "_connect = recording_connect"]
    parts.append(_invoker(entry))
    parts.append(_test_body(finding, plan, entry, fn, needs_sql))
    return "\n\n".join(p.strip("\n") + "\n" for p in parts)


def render_behaviour(finding: Finding, plan: ProofPlan, fn: FunctionInfo, *, needs_sql: bool, results: str) -> str:
    """The verifier's test of benign behaviour: the plan's benign inputs through the same entry point,
    twice over, each call's result, files and database rows written as JSON to ``results`` (a file
    name beside the test). It never fails: the verifier compares what it wrote before and after."""
    entry = finding.entry
    assert entry is not None and plan.benign
    parts = [_head("behaviour", finding, entry, "It runs benign inputs through the entry point and records what they do, for the verifier\n"
                                   "to compare on the original and the patched code. It is never written to the project."),
             OBSERVER]
    if needs_sql:
        parts += [SQL_RECORDER, SQL_SEEDING, "_connect = seeded_connect"]
    parts.append(_invoker(entry))
    setup_client, call = _attempt_call(entry, fn, needs_sql, word='"apple"' if needs_sql else '"test"',
                                       directory=plan.directory)
    sql_patch = 'monkeypatch.setattr(sqlite3, "connect", _connect)\n' if needs_sql else ""
    setup = "\n".join(part.strip() for part in (sql_patch, plan.setup, plan.benign_setup, setup_client) if part.strip())
    # Payload files are all written first, so every call sees the same files in both rounds.
    files = "        benign = [payload_file(text, number) for number, text in enumerate(benign)]\n" if plan.file_payload else ""
    feed = "                opened = len(CONNECTIONS)\n" if needs_sql else ""
    rows = ',\n                                 "db": [database_rows(c, plain) for c in CONNECTIONS[opened:]]' if needs_sql else ""
    parts.append(f'''
def payload_file(text, number):
    path = Path(f"benign-{{number}}.txt")
    path.write_text(text)
    return str(path.resolve())


def test_benign_behaviour(tmp_path, monkeypatch):
    rounds, failed = [], None
    try:
        monkeypatch.chdir(tmp_path)
        canary = tmp_path / "provenfix-canary"
        plain = Plain(tmp_path)
{textwrap.indent(setup, "        ")}
        benign = [{", ".join(plan.benign)}]
{files}        for _ in range(2):  # twice: what differs between the rounds on the original is not behaviour
            observed = []
            rounds.append(observed)
            for payload in benign:
{feed}                try:
                    result = {call}
                except (Exception, SystemExit) as exc:
                    result = exc
                observed.append({{"result": plain.{plan.observe}(result), "files": plain.files(tmp_path, {plan.observe != "type"}){rows}}})
    except (Exception, SystemExit) as exc:  # the set-up failing is an observation too
        failed = type(exc).__name__
    finally:
        out = Path(__file__).with_name({results!r})
        out.write_text(json.dumps({{"rounds": rounds, "failed": failed}}, default=repr, sort_keys=True))
''')
    return "\n\n".join(p.strip("\n") + "\n" for p in parts)


def _head(kind: str, finding: Finding, entry: EntryPoint, doc: str) -> str:
    doc = doc.replace("\\", "\\\\")  # it goes into a docstring: a backslash there must not start an escape
    return f'''"""ProvenFix {kind} test for {finding.rule_id} (CWE-{finding.cwe}) at {finding.location.path}:{finding.location.start_line}.

{doc}
"""

import asyncio
import inspect
import random
from pathlib import Path

import {entry.module} as target
'''


def _invoker(entry: EntryPoint) -> str:
    if entry.kind == "script":
        return f'''

def _call():
    import runpy

    return runpy.run_module({entry.module!r}, run_name="__main__")
'''
    if entry.kind == "route" and entry.framework == "fastapi":
        source, make = _app_source(entry)
        return f'''

import urllib.parse

{source}


def _client():
    from starlette.testclient import TestClient  # FastAPI's is Starlette's

    return TestClient({make}, follow_redirects=False, raise_server_exceptions=False), {entry.route!r}


def _sending(name, payload):
    """How the test client sends input FastAPI reads into parameter `name`: a pydantic model's fields
    in the JSON body (text fields the payload, the others plausible), anything else in the query."""
    import inspect
    import typing

    try:
        from pydantic import BaseModel
        hints = typing.get_type_hints(target.{entry.qualname})
    except Exception:  # no pydantic, or annotations that do not resolve: the query it is
        return {{"params": {{name: payload}}}}
    models = {{p: hints[p] for p in inspect.signature(target.{entry.qualname}).parameters
              if isinstance(hints.get(p), type) and issubclass(hints[p], BaseModel)}}
    if name not in models:
        return {{"params": {{name: payload}}}}

    def sample(annotation):
        kinds = typing.get_args(annotation) or (annotation,)
        for kind, value in ((str, payload), (bool, True), (int, 1), (float, 1.0), (list, []), (dict, {{}})):
            if any(k is kind or typing.get_origin(k) is kind for k in kinds):
                return value
        return payload

    bodies = {{p: {{f: sample(info.annotation) for f, info in m.model_fields.items()}} for p, m in models.items()}}
    return {{"json": bodies[name] if len(bodies) == 1 else bodies}}
'''
    if entry.kind == "route" and entry.framework == "django":
        return f'''

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", {entry.settings_module!r})
import django
from django.test.utils import setup_test_environment

django.setup()
try:
    setup_test_environment()  # the test client's host, "testserver", is allowed
except RuntimeError:  # set up already, by another test of the session
    pass


def _client():
    from django.test import Client

    return Client(raise_request_exception=False), {entry.route!r}
'''
    if entry.kind == "route":
        source, make = _app_source(entry)
        return f'''

{source}


def _client():
    app = {make}
    app.config.update(TESTING=True, PROPAGATE_EXCEPTIONS=False)
    if {entry.qualname!r} == "<settings>":  # the app's config is what is tested: any page will do
        return app.test_client(), {entry.route!r}
    for endpoint, view in app.view_functions.items():
        if getattr(view, "__module__", None) == {entry.module!r} and getattr(view, "__qualname__", None) == {entry.qualname!r}:
            rule = next(iter(app.url_map.iter_rules(endpoint)))
            import re as _re
            return app.test_client(), _re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "1", rule.rule)
    raise LookupError("route for {entry.qualname} not found in the app")


def _upload(payload):
    """An uploaded file as the test client sends it: bytes are its content, text its file name."""
    import io

    if isinstance(payload, (bytes, bytearray)):
        return io.BytesIO(bytes(payload)), "upload.bin"
    return io.BytesIO(b"provenfix upload"), str(payload)
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


def _app_source(entry: EntryPoint) -> tuple[str, str]:
    """(the import of the app or its factory, the expression that gives the app)."""
    source = f"from {entry.app_module} import {entry.app_factory or entry.app_object} as _app_source"
    return source, "_app_source()" if entry.app_factory else "_app_source"


def _attempt_call(entry: EntryPoint, fn: FunctionInfo | None, needs_sql: bool, word: str = '"test"',
                  directory: str = "tmp_path") -> tuple[str, str]:
    """(set-up lines, the call expression with `payload` bound to the tainted input); ``word`` is
    what other text parameters get (the behaviour test's seeded rows hold "apple")."""
    if entry.kind == "script":
        return "", "_call()"
    if entry.kind == "route" and entry.framework == "fastapi":
        name, _, key = (entry.request_field or "q:").partition(":")
        method = entry.methods[0].lower() if entry.methods else "get"
        if key and name in STARLETTE_FIELDS:  # read from the request object: `request.headers["X-Trace"]`
            return "    client, url = _client()\n", f"client.{method}(url, {STARLETTE_FIELDS[name]}={{{key!r}: payload}})"
        if "{" + name in (entry.route or ""):  # a path parameter: the payload is part of the URL
            placeholder = next(p for p in re.findall(r"\{[^}]*\}", entry.route or "") if p[1:-1].split(":")[0] == name)
            return ("    client, url = _client()\n",
                    f"client.{method}(url.replace({placeholder!r}, urllib.parse.quote(payload, safe=\"\")))")
        return "    client, url = _client()\n", f"client.request({method.upper()!r}, url, **_sending({name!r}, payload))"
    if entry.kind == "route" and entry.framework == "django":
        field_kind, _, key = (entry.request_field or "GET:").partition(":")
        key = key or "q"
        method = entry.methods[0].lower() if entry.methods else "get"
        if field_kind == "body":
            send = "data=payload, content_type=\"text/plain\""
        elif field_kind == "headers":
            send = f"headers={{{key!r}: payload}}"
        elif field_kind == "META" and key.startswith("HTTP_"):  # the environ name of a request header
            send = f"**{{{key!r}: payload}}"
        else:  # GET and POST are the query string and the form, which the client sends as `data`
            send = f"data={{{key!r}: payload}}"
        return "    client, url = _client()\n", f"client.{method}(url, {send})"
    if entry.kind == "route":
        field_kind, _, key = (entry.request_field or "args:").partition(":")
        key = key or "q"
        method = "get" if field_kind in ("args", "values", "headers") and "GET" in entry.methods else (
            next((m.lower() for m in entry.methods if m != "GET"), "post"))
        if field_kind in ("args", "values"):
            send = f"query_string={{{key!r}: payload}}"
        elif field_kind == "headers":
            send = f"headers={{{key!r}: payload}}"
        elif field_kind == "json":
            send = f"json={{{key!r}: payload}}"
        elif field_kind == "data":
            send = "data=payload"
        elif field_kind == "form":
            send = f"data={{{key!r}: payload}}"
        elif field_kind == "files":  # an upload: bytes are the file's content, text its name
            send = f"data={{{key!r}: _upload(payload)}}"
        else:
            send = f"query_string={{{key!r}: payload}}"
        return "    client, url = _client()\n", f"client.{method}(url, {send})"
    assert fn is not None, "a function entry names its function"
    args = [f"{entry.tainted_param}=payload"] if entry.tainted_param else []
    defaults = _params_with_defaults(fn)
    for name, annotation in _annotations(fn).items():
        if name == entry.tainted_param or name in defaults or name in ("self", "cls"):
            continue
        args.append(f"{name}={_plausible(name, annotation, needs_sql, word, directory)}")
    return "", f"_call({', '.join(args)})"


def _test_body(finding: Finding, plan: ProofPlan, entry: EntryPoint, fn: FunctionInfo | None, needs_sql: bool) -> str:
    setup_client, call = _attempt_call(entry, fn, needs_sql, directory=plan.directory)
    name = re.sub(r"\W+", "_", f"{finding.rule_id}_{entry.qualname}").lower()
    sql_patch = "    monkeypatch.setattr(sqlite3, \"connect\", _connect)\n" if needs_sql else ""
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


def _plausible(name: str, annotation: str, needs_sql: bool, word: str = '"test"', directory: str = "tmp_path") -> str:
    """A benign value for a parameter the attack does not go through."""
    lowered = name.lower()
    if lowered in DB_PARAMS or "Connection" in annotation or "Cursor" in annotation:
        connect = "_connect()" if needs_sql else "__import__('sqlite3').connect(':memory:')"
        return f"{connect}.cursor()" if "cur" in lowered or "Cursor" in annotation else connect
    if lowered in DIR_PARAMS or "Path" in annotation:
        return directory if "Path" in annotation else f"str({directory})"
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
    return word
