"""Outbound requests without a timeout (CWE-1088, of the CWE-400 family): `requests.get(url)`.

requests never gives up waiting for a server unless told to, and `urllib.request.urlopen`,
`http.client.HTTPConnection` and `socket.create_connection` wait as long as the socket default,
which is forever: a server that accepts the connection and never answers (an outage, a full
backlog, an attacker at the other end) blocks the worker for good, and a few such calls stop the
service. Detects requests calls (functions and Session methods) without `timeout=` or with
`timeout=None`, httpx calls and clients with `timeout=None` (httpx's own default is 5 seconds),
and the standard library's three without a timeout unless the project sets a default with
`socket.setdefaulttimeout`. Calls passing `**kwargs` (which may hold one) and test code are not
findings. The fix passes `timeout=10`.

The proof is the TLS class's recorder (recipes/tls.py): every request and connection is answered
with a canned reply and recorded with the timeout it was made with, which must be finite.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import EMPTY, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, keyword_arg
from provenfix.recipes.tls import HTTPX_CLIENTS, HTTPX_FUNCTIONS, NETWORK_RECORDER, REQUESTS_FUNCTIONS, \
    REQUESTS_SESSIONS, VERBS, how_to_reach, receiver_of
from provenfix.workspace import is_test_file

SECONDS = "10"  # what the fix passes: far above a healthy answer's time, short enough to free the worker
HTTPX_MAKERS = frozenset({"httpx.Client", "httpx.AsyncClient"})
# The standard library's calls and where their timeout goes: (position, keyword).
STDLIB = {"urllib.request.urlopen": (2, "timeout"), "socket.create_connection": (1, "timeout"),
          "http.client.HTTPConnection": (2, "timeout"), "http.client.HTTPSConnection": (2, "timeout")}

TIMEOUT_CHECK = r'''
def unbounded(timeout):
    if isinstance(timeout, dict):  # httpx: one per phase
        return timeout.get("connect") is None or timeout.get("read") is None
    if isinstance(timeout, tuple):  # requests: (connect, read)
        return any(t is None for t in timeout)
    return timeout is None
made = [r for r in NET if "timeout" in r]
assert made, f"the call made no request and no connection: {results}"
waiting = [f"{r['via']} to {r['to']}" for r in made if unbounded(r["timeout"])]
assert not waiting, f"requests that wait for an answer forever: {waiting}"
'''


class RequestWithoutTimeout(Recipe):
    rule_id = "PF-TIMEOUT"
    kind = "timeout"
    call_names = frozenset({*VERBS, "request", "stream", "Client", "AsyncClient", "urlopen", "create_connection",
                            "HTTPConnection", "HTTPSConnection"})
    equivalent_ids = frozenset({"B113", "S113"})  # request_without_timeout
    without_input = frozenset({"requests", "httpx", "urllib", "socket", "http"})
    # `from urllib.parse import quote` or `http.cookies` alone make no request.
    without_input_text = r"urlopen|create_connection|HTTPS?Connection|\b(?:requests|httpx)\b"

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        name = site.name or ""
        if not name or is_test_file(site.module.path) or any(k.arg is None for k in site.node.keywords):
            return None  # test code, or **options that may hold a timeout
        if any(isinstance(a, ast.Starred) for a in site.node.args):
            return None
        method = site.node.func.attr if isinstance(site.node.func, ast.Attribute) else None
        receiver = receiver_of(site)
        timeout = keyword_arg(site, "timeout")
        if name in REQUESTS_FUNCTIONS or (method in (*VERBS, "request") and receiver.startswith(REQUESTS_SESSIONS)):
            if timeout is not None and not _is_none(timeout, site):
                return None
            shown = f"`{name}()`" if name in REQUESTS_FUNCTIONS else f"`.{method}()` of a requests.Session"
            why = "with timeout=None" if timeout is not None else "without a timeout"
            message = f"{shown} is called {why}: requests waits for the server's answer forever"
        elif name in HTTPX_FUNCTIONS or name in HTTPX_MAKERS or (method in (*VERBS, "request", "stream", "send")
                                                                 and receiver.startswith(HTTPX_CLIENTS)):
            if timeout is None or not _is_none(timeout, site):
                return None  # httpx's default is 5 seconds
            shown = f"`{name}()`" if name in HTTPX_FUNCTIONS | HTTPX_MAKERS else f"`.{method}()` of an httpx client"
            message = f"{shown} is called with timeout=None: it waits for the server's answer forever"
        elif name in STDLIB:
            position, keyword = STDLIB[name]
            given = site.node.args[position] if len(site.node.args) > position else timeout
            if given is not None and not _is_none(given, site):
                return None
            if _sets_default_timeout(analysis.index):
                return None  # the project sets the socket default these calls fall back on
            if name == "socket.create_connection" and _timeout_set_after(site):
                return None
            message = f"`{name}()` is called without a timeout: it waits for the other end forever"
        else:
            return None
        return Match(site, EMPTY, message, site.node, confidence="medium", detail=how_to_reach(site, analysis))

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.keywords import set_keywords, set_value  # LibCST loads only when a fix is made

        path = match.site.module.path
        text = texts[path]
        name = match.site.name or ""
        if name in STDLIB:
            position, _ = STDLIB[name]
            args = match.site.node.args
            if len(args) > position:  # given by position, as None
                return {path: set_value(text, span_of(args[position], text), SECONDS)}
        if any(k.arg is None for k in match.site.node.keywords):
            raise Unfixable("the call passes **keyword arguments, which may set the timeout already")
        return {path: set_keywords(text, span_of(match.target, text), {"timeout": SECONDS})}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        url = match.detail.get("url_payload")
        payloads = [url] if url else ['"x"']
        return ProofPlan(
            doc="It runs the code with every transport replaced by a recorder that answers with a canned reply, and "
                "checks every request and connection it made was given a finite timeout.",
            payloads=payloads,
            setup=NETWORK_RECORDER,
            check=TIMEOUT_CHECK,
            benign=payloads,  # the canned reply must come back as before
        )


def _is_none(node: ast.expr, site: CallSite) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _sets_default_timeout(index: ProjectIndex) -> bool:
    """Some module of the project (not a test) calls `socket.setdefaulttimeout(...)`: a text search, C speed."""
    return any("setdefaulttimeout(" in f.text and not is_test_file(f.path) for f in index.files)


def _timeout_set_after(site: CallSite) -> bool:
    """`sock = socket.create_connection(addr)` followed by `sock.settimeout(...)` in the same function."""
    scope = site.function.node if site.function is not None else site.module.tree
    holders = {t.id for n in ast.walk(scope) if isinstance(n, ast.Assign) and n.value is site.node
               for t in n.targets if isinstance(t, ast.Name)}
    holders |= {i.optional_vars.id for n in ast.walk(scope) if isinstance(n, (ast.With, ast.AsyncWith))
                for i in n.items if i.context_expr is site.node and isinstance(i.optional_vars, ast.Name)}
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "settimeout"
               and isinstance(n.func.value, ast.Name) and n.func.value.id in holders for n in ast.walk(scope))
