"""TLS certificate verification switched off (CWE-295): `requests.get(url, verify=False)` and alike.

A client that does not check the server's certificate (or does not check that it names the host
it asked for) talks to whoever answers: anyone on the network path (a shared Wi-Fi, a hostile
proxy, a poisoned DNS answer) reads and rewrites the traffic, credentials included. Detects
`verify=False` in requests (functions, Session methods, `session.verify = False`) and httpx
(functions, `Client`/`AsyncClient`), aiohttp's `ssl=False`/`verify_ssl=False`,
`ssl._create_unverified_context()`, a client `SSLContext` whose `check_hostname` is set to False or
`verify_mode` to `CERT_NONE`, and urllib3's `cert_reqs="CERT_NONE"`. The fix turns verification
back on. `verify="/path/ca.pem"` (a CA bundle) and server-side contexts are not findings, nor is
test code.

Old protocol versions (CWE-327, Bandit B502): `ssl.SSLContext(ssl.PROTOCOL_TLSv1)` (TLSv1_1, SSLv2,
SSLv3) becomes `ssl.create_default_context()` for a client (TLS >= 1.2 with the system's CAs; a bare
`SSLContext(PROTOCOL_TLS_CLIENT)` would load no CA and break every connection) or
`PROTOCOL_TLS_SERVER` for a server's context (one that loads its certificate chain);
`ctx.minimum_version = ssl.TLSVersion.TLSv1` is raised to TLSv1_2; `ssl.wrap_socket(...,
ssl_version=ssl.PROTOCOL_TLSv1)` is reported, not rewritten (no minimum version there, gone in 3.12).
The proof reads back every context made: no fixed old protocol, a minimum of TLS 1.2.

The proof needs no network: it replaces the transports (requests' adapter, httpx's transport,
`socket.create_connection`, `SSLContext.wrap_socket`) by recorders that answer every request with
one canned JSON body, runs the entry point, and checks every request, session and TLS client
context it made verifies the server.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ModuleInfo, ProjectIndex
from provenfix.flow.taint import EMPTY, Analysis, CallSite, Value
from provenfix.model import Finding
from provenfix.flow.routes import django_url
from provenfix.recipes.base import Match, ProofPlan, Recipe, input_picks_host, keyword_arg, route_of, word_set
from provenfix.workspace import is_test_file

VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
REQUESTS_FUNCTIONS = frozenset({f"{lib}.{verb}" for lib in ("requests", "requests.api") for verb in (*VERBS, "request")})
HTTPX_FUNCTIONS = frozenset({f"httpx.{verb}" for verb in (*VERBS, "request", "stream")})
REQUESTS_SESSIONS = ("requests.Session()", "requests.sessions.Session()", "requests.session()")
HTTPX_CLIENTS = ("httpx.Client()", "httpx.AsyncClient()")
AIOHTTP_SESSIONS = ("aiohttp.ClientSession()", "aiohttp.client.ClientSession()")
SESSION_MAKERS = frozenset({"requests.Session", "requests.sessions.Session", "requests.session"})
CLIENT_MAKERS = frozenset({"httpx.Client", "httpx.AsyncClient"})
AIOHTTP_MAKERS = frozenset({"aiohttp.TCPConnector", "aiohttp.connector.TCPConnector", "aiohttp.ClientSession",
                            "aiohttp.client.ClientSession"})
URLLIB3_MAKERS = frozenset({"urllib3.PoolManager", "urllib3.poolmanager.PoolManager", "urllib3.ProxyManager",
                            "urllib3.HTTPSConnectionPool", "urllib3.connectionpool.HTTPSConnectionPool",
                            "urllib3.connection_from_url", "urllib3.proxy_from_url"})
CONTEXT_MAKERS = frozenset({"ssl.create_default_context", "ssl.SSLContext"})
UNVERIFIED = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})
CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
SERVER_SIDE = frozenset({"ssl.Purpose.CLIENT_AUTH", "ssl.PROTOCOL_TLS_SERVER"})
# Where the URL goes in the calls whose test is given a URL: (position, keyword).
URL_ARGUMENT = {**{name: (1 if name.endswith((".request", ".stream")) else 0, "url")
                   for name in (*REQUESTS_FUNCTIONS, *HTTPX_FUNCTIONS)},
                **{verb: (0, "url") for verb in VERBS}, "request": (1, "url"), "stream": (1, "url"),
                "urllib.request.urlopen": (0, "url"), "urlopen": (1, "url")}
PROOF_URL = "https://api.example.com/v1/status"

# The proof's recorders, shared with the timeout class (recipes/timeout.py): every request and
# connection the code makes is answered with CANNED and recorded in NET; the requests sessions,
# httpx transports and TLS contexts it creates are kept to be judged after the call.
NETWORK_RECORDER = r'''
import io
import socket
import ssl

NET = []  # one record per request or connection: via, verify, timeout
SESSIONS, TRANSPORTS, CONTEXTS = [], [], []
CANNED = b'{"ok": true, "items": []}'
REPLY = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: "
         + str(len(CANNED)).encode() + b"\r\n\r\n" + CANNED)


class FakeSocket:
    """A connected socket that answers whatever is sent with REPLY; no byte leaves the test."""

    def __init__(self, timeout=None):
        self._reply = io.BytesIO(REPLY)
        self.timeout = timeout

    def makefile(self, *args, **kwargs):
        return self._reply

    def recv(self, size=65536, *args):
        return self._reply.read(size)

    def recv_into(self, buffer, size=0, *args):
        data = self._reply.read(size or len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def sendall(self, data, *args):
        return None

    def send(self, data, *args):
        return len(data)

    def settimeout(self, value):
        self.timeout = value

    def gettimeout(self):
        return self.timeout

    def setsockopt(self, *args):
        return None

    def getpeercert(self, binary_form=False):
        return {}

    def fileno(self):
        return -1

    def shutdown(self, *args):
        return None

    def close(self):
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _verifies(ctx):
    return ctx.verify_mode != ssl.CERT_NONE and ctx.check_hostname


_real_create_connection = socket.create_connection


def _create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, *args, **kwargs):
    if timeout is socket._GLOBAL_DEFAULT_TIMEOUT:
        timeout = socket.getdefaulttimeout()
    NET.append({"via": "socket.create_connection", "to": address, "timeout": timeout})
    return FakeSocket(timeout)


monkeypatch.setattr(socket, "create_connection", _create_connection)
for _name, _value in list(vars(target).items()):  # `from socket import create_connection`
    if _value is _real_create_connection:
        monkeypatch.setattr(target, _name, _create_connection)
_real_wrap_socket = ssl.SSLContext.wrap_socket


def _wrap_socket(ctx, sock, *args, server_side=False, server_hostname=None, **kwargs):
    if server_side or not isinstance(sock, FakeSocket):
        return _real_wrap_socket(ctx, sock, *args, server_side=server_side, server_hostname=server_hostname, **kwargs)
    NET.append({"via": "TLS connection", "to": server_hostname, "verify": _verifies(ctx)})
    return sock


monkeypatch.setattr(ssl.SSLContext, "wrap_socket", _wrap_socket)
_real_context_new = ssl.SSLContext.__new__


def _context_new(cls, *args, **kwargs):
    ctx = _real_context_new(cls, *args, **kwargs)
    CONTEXTS.append(ctx)
    return ctx


monkeypatch.setattr(ssl.SSLContext, "__new__", _context_new)
try:
    import requests
    import requests.adapters
except ImportError:
    requests = None
if requests is not None:
    def _requests_send(adapter, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        NET.append({"via": "requests", "to": request.url, "verify": verify, "timeout": timeout})
        response = requests.models.Response()
        response.status_code, response.reason, response._content = 200, "OK", CANNED
        response.headers["Content-Type"] = "application/json"
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    _real_session_init = requests.Session.__init__

    def _session_init(session, *args, **kwargs):
        _real_session_init(session, *args, **kwargs)
        SESSIONS.append(session)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", _requests_send)
    monkeypatch.setattr(requests.Session, "__init__", _session_init)
try:
    import httpx
except ImportError:
    httpx = None
if httpx is not None:
    def _httpx_verifies(transport):
        ctx = getattr(getattr(transport, "_pool", None), "_ssl_context", None)
        return ctx is None or _verifies(ctx)

    def _httpx_send(transport, request):
        NET.append({"via": "httpx", "to": str(request.url), "verify": _httpx_verifies(transport),
                    "timeout": request.extensions.get("timeout")})
        return httpx.Response(200, content=CANNED, headers={"Content-Type": "application/json"}, request=request)

    async def _httpx_send_async(transport, request):
        return _httpx_send(transport, request)

    def _keep_transport(real):
        def init(transport, *args, **kwargs):
            real(transport, *args, **kwargs)
            TRANSPORTS.append(transport)
        return init

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", _httpx_send)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", _httpx_send_async)
    monkeypatch.setattr(httpx.HTTPTransport, "__init__", _keep_transport(httpx.HTTPTransport.__init__))
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "__init__", _keep_transport(httpx.AsyncHTTPTransport.__init__))
'''

TLS_CHECK = r'''
unverified = [f"{r['via']} to {r['to']}" for r in NET if "verify" in r and not r["verify"]]
unverified += ["a requests.Session with verify = False" for s in SESSIONS if s.verify is False]
unverified += ["an httpx transport that does not verify" for t in TRANSPORTS if not _httpx_verifies(t)]
unverified += [f"an SSL context with verify_mode {c.verify_mode.name} and check_hostname {c.check_hostname}"
               for c in CONTEXTS if c.protocol != ssl.PROTOCOL_TLS_SERVER and not _verifies(c)]
assert NET or SESSIONS or TRANSPORTS or CONTEXTS, f"the call made no request and no TLS client: {results}"
assert not unverified, f"TLS without certificate verification: {unverified}"
'''

OLD_PROTOCOLS = frozenset({"ssl.PROTOCOL_SSLv2", "ssl.PROTOCOL_SSLv3", "ssl.PROTOCOL_TLSv1", "ssl.PROTOCOL_TLSv1_1"})
OLD_VERSIONS = frozenset({"ssl.TLSVersion.SSLv3", "ssl.TLSVersion.TLSv1", "ssl.TLSVersion.TLSv1_1",
                          "ssl.TLSVersion.MINIMUM_SUPPORTED"})
SERVER_METHODS = frozenset({"load_cert_chain", "load_dh_params", "set_servername_callback", "sni_callback"})

PROTOCOL_CHECK = r'''
_old = {getattr(ssl, n) for n in ("PROTOCOL_SSLv2", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1", "PROTOCOL_TLSv1_1") if hasattr(ssl, n)}
weak = [f"an SSL context with protocol {c.protocol.name} and minimum version {c.minimum_version.name}"
        for c in CONTEXTS if c.protocol in _old
        or (c.minimum_version != ssl.TLSVersion.MAXIMUM_SUPPORTED and c.minimum_version < ssl.TLSVersion.TLSv1_2)]
assert CONTEXTS, f"the call made no TLS context: {results}"
assert not weak, f"TLS older than 1.2 can be negotiated: {weak}"
'''


class TlsVerificationOff(Recipe):
    rule_id = "PF-TLS"
    kind = "tls"
    call_names = frozenset({*VERBS, "request", "stream", "Session", "session", "Client", "AsyncClient", "TCPConnector",
                            "ClientSession", "PoolManager", "ProxyManager", "HTTPSConnectionPool", "connection_from_url",
                            "proxy_from_url", "create_default_context", "SSLContext", "_create_unverified_context",
                            "_create_stdlib_context", "wrap_socket"})
    # B501: request_with_no_cert_validation; B323: unverified_context; B502: ssl_with_bad_version; Ruff's
    # S501, S323, S502 alike. Not B503/B504 (an old default argument, no version given): not detected here.
    equivalent_ids = frozenset({"B501", "B323", "B502", "S501", "S323", "S502"})
    without_input = frozenset({"requests", "httpx", "aiohttp", "ssl", "urllib3"})
    without_input_text = (r"verify|CERT_NONE|check_hostname|_create_(?:unverified|stdlib)_context|\bssl\s*=|cert_reqs"
                          r"|PROTOCOL_(?:SSLv|TLSv1\b|TLSv1_1)|minimum_version")

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name is None or is_test_file(site.module.path):
            return None
        found = (_keyword_off(site) or _session_attribute(site) or _unverified_context(site) or _weakened_context(site)
                 or _urllib3_cert_none(site) or _old_protocol(site) or _old_minimum(site))
        if found is None:
            return None
        message, target, detail = found
        switched = [v for v, _ in detail["values"]] if detail["how"] == "assignments" else [target]
        if all(_chosen_by_caller(node, site) for node in switched):
            return None  # `if not validate_certs: ctx.verify_mode = CERT_NONE`: an opt-out the caller asks for
        return Match(site, EMPTY, message, target, detail={**detail, **how_to_reach(site, analysis)})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.keywords import set_keywords, set_value  # LibCST loads only when a fix is made

        path = match.site.module.path
        text = texts[path]
        how = match.detail["how"]
        if how == "keywords":
            return {path: set_keywords(text, span_of(match.target, text), match.detail["values"])}
        if how == "unverified":
            return {path: set_value(text, span_of(match.target, text), "{ssl}.create_default_context", modules=("ssl",))}
        if how == "replace":  # an old protocol: a whole new context, or the constructor's protocol
            if match.detail.get("unfixable"):
                raise Unfixable(match.detail["unfixable"])
            return {path: set_value(text, span_of(match.target, text), match.detail["code"], modules=("ssl",))}
        # Assignments after the object is made (`ctx.check_hostname = False`): each value, bottom-up.
        for node, code in sorted(match.detail["values"], key=lambda nc: (-nc[0].lineno, -nc[0].col_offset)):
            if " " in code:  # no expression: the reason it cannot be rewritten
                raise Unfixable(code)
            text = set_value(text, span_of(node, text), code)
        return {path: text}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        url = match.detail.get("url_payload")
        payloads = [url] if url else ['"x"']
        if match.detail.get("weakness") == "protocol":
            return ProofPlan(
                doc="It runs the code with every transport replaced by a recorder, and checks every TLS context it "
                    "made refuses TLS older than 1.2: no fixed old protocol, a minimum version of TLS 1.2 or more.",
                payloads=payloads,
                setup=NETWORK_RECORDER,
                check=PROTOCOL_CHECK,
                benign=payloads,
                observe="type",  # the context is a new object either way: what comes back must be of the same kind
            )
        return ProofPlan(
            doc="It runs the code with every transport replaced by a recorder that answers with a canned reply, and "
                "checks every request, session and TLS client context it made verifies the server's certificate "
                "and host name.",
            payloads=payloads,
            setup=NETWORK_RECORDER,
            check=TLS_CHECK,
            benign=payloads,  # the canned reply must come back as before
        )


def receiver_of(site: CallSite) -> str:
    """What `obj` of `obj.method(...)` is: as the analysis typed it or, for `self.client.get(...)`, what
    the class's methods assign to `self.client` (`self.client = requests.Session()`); "" when unknown."""
    if site.receiver_type:
        return site.receiver_type
    func, fn = site.node.func, site.function
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute)
            and isinstance(func.value.value, ast.Name) and func.value.value.id == "self" and fn is not None and fn.class_name):
        return ""
    made = _self_attributes(site.module, fn.class_name).get(func.value.attr, set())
    return next(iter(made)) if len(made) == 1 else ""


def _self_attributes(module: ModuleInfo, class_name: str) -> dict[str, set[str]]:
    """`self.x = f(...)` in the class's methods: x → the calls that made it. Once per class: every
    call of every method asks."""
    key = ("self-attributes", class_name)
    if key not in module.memo:
        made: dict[str, set[str]] = {}
        for cls in module.tree.body:
            if isinstance(cls, ast.ClassDef) and cls.name == class_name:
                for node in ast.walk(cls):
                    if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1
                            and isinstance(target := node.targets[0], ast.Attribute)
                            and isinstance(target.value, ast.Name) and target.value.id == "self"):
                        made.setdefault(target.attr, set()).add(f"{module.resolve(node.value.func)}()")
        module.memo[key] = made
    return module.memo[key]


def _keyword_off(site: CallSite) -> tuple[str, ast.AST, dict] | None:
    """`verify=False` (requests, httpx), `ssl=False` / `verify_ssl=False` (aiohttp) on a call."""
    name = site.name or ""
    method = site.node.func.attr if isinstance(site.node.func, ast.Attribute) else None
    receiver = receiver_of(site)
    if name in REQUESTS_FUNCTIONS or (method in (*VERBS, "request") and receiver.startswith(REQUESTS_SESSIONS)):
        keywords, lib = ("verify",), "requests"
    elif name in HTTPX_FUNCTIONS or name in CLIENT_MAKERS:
        keywords, lib = ("verify",), "httpx"
    elif name in AIOHTTP_MAKERS or (method in (*VERBS, "request", "ws_connect") and receiver.startswith(AIOHTTP_SESSIONS)):
        keywords, lib = ("ssl", "verify_ssl"), "aiohttp"
    else:
        return None
    off = [k for k in keywords if _is_false(keyword_arg(site, k), site.keywords.get(k))]
    if not off:
        return None  # on, a CA bundle (`verify="/etc/ssl/corp.pem"`), or a setting the code reads
    shown = name.rsplit(".", 1)[-1] if name in CLIENT_MAKERS or name in AIOHTTP_MAKERS else method or name
    what = "client" if name in CLIENT_MAKERS | AIOHTTP_MAKERS else "request"
    call = f"`{name}()`" if name in CLIENT_MAKERS | AIOHTTP_MAKERS | REQUESTS_FUNCTIONS | HTTPX_FUNCTIONS else f"`.{shown}()`"
    return (f"{call} is made with {off[0]}=False: this {what} accepts any certificate, so anyone on the network "
            f"path can pose as the server and read or change the traffic",
            site.node, {"how": "keywords", "values": dict.fromkeys(off, "True"), "lib": lib})


SWITCH_WORDS = frozenset({"verify", "validate", "insecure", "unsafe", "ssl", "tls", "cert", "certs", "check", "skip"})


def _chosen_by_caller(node: ast.AST, site: CallSite) -> bool:
    """`node` runs only when a switch named for verification holds: a caller's or a user's explicit
    choice (`validate_certs=False`, `--insecure`), not the code's."""
    scope = site.function.node if site.function is not None else site.module.tree
    for branch in ast.walk(scope):
        if isinstance(branch, ast.If) and any(n is node for part in (branch.body, branch.orelse)
                                                for stmt in part for n in ast.walk(stmt)):
            names = [n.id if isinstance(n, ast.Name) else n.attr for n in ast.walk(branch.test)
                     if isinstance(n, (ast.Name, ast.Attribute))]
            if any(word_set(n) & SWITCH_WORDS for n in names):
                return True
    return False


def _without_a_host_name(assign: ast.Assign, site: CallSite) -> bool:
    """`if not server_hostname: ctx.check_hostname = False`: with no name to check there is nothing to
    switch off (the certificate is still checked), as asyncio does for a connection given no host name."""
    scope = site.function.node if site.function is not None else site.module.tree
    return any(isinstance(branch, ast.If) and isinstance(branch.test, ast.UnaryOp) and isinstance(branch.test.op, ast.Not)
               and isinstance(branch.test.operand, ast.Name) and "hostname" in branch.test.operand.id.lower()
               and any(stmt is assign for stmt in branch.body) for branch in ast.walk(scope))


def _is_false(node: ast.expr | None, value: Value | None) -> bool:
    """A literal False, or a name the code sets to False and nothing else."""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return node.value is False
    return isinstance(node, ast.Name) and value is not None and value.const is False


def _session_attribute(site: CallSite) -> tuple[str, ast.AST, dict] | None:
    """`s = requests.Session()` then `s.verify = False` in the same function."""
    if site.name not in SESSION_MAKERS:
        return None
    holder = _holder(site)
    if holder is None:
        return None
    offs = [a.value for a in _assignments_to(site, holder, "verify") if _is_false(a.value, None)]
    if not offs:
        return None
    return ("a requests.Session gets `verify = False`: every request it sends accepts any certificate, so anyone on "
            "the network path can pose as the server", site.node, {"how": "assignments", "values": [(n, "True") for n in offs]})


def _unverified_context(site: CallSite) -> tuple[str, ast.AST, dict] | None:
    if site.name not in UNVERIFIED:
        return None
    if site.node.args or site.node.keywords:
        return None  # options chosen one by one (`cert_reqs=ssl.CERT_REQUIRED`): judged by what they say
    return ("`ssl._create_unverified_context()` makes a TLS context that checks neither the certificate nor the host "
            "name: anyone on the network path can pose as the server", site.node.func, {"how": "unverified"})


def _weakened_context(site: CallSite) -> tuple[str, ast.AST, dict] | None:
    """A client context (`ssl.create_default_context()`, `SSLContext(PROTOCOL_TLS_CLIENT)`) whose checks are
    switched off after it is made: `ctx.check_hostname = False`, `ctx.verify_mode = ssl.CERT_NONE`."""
    if site.name not in CONTEXT_MAKERS:
        return None
    first = site.node.args[0] if site.node.args else keyword_arg(site, "purpose" if site.name.endswith("context") else "protocol")
    resolved = site.module.resolve(first) if first is not None else None
    if resolved in SERVER_SIDE:
        return None  # a server's context: CERT_NONE there means no client certificate is asked for
    if site.name == "ssl.SSLContext" and resolved != "ssl.PROTOCOL_TLS_CLIENT":
        return None  # a context of another protocol may be a server's: too unsure to rewrite
    holder = _holder(site)
    if holder is None:
        return None
    values, what = [], []
    for assign in _assignments_to(site, holder, "check_hostname"):
        if _is_false(assign.value, None) and not _without_a_host_name(assign, site):
            values.append((assign.value, "True"))
            what.append("the host name")
    for assign in _assignments_to(site, holder, "verify_mode"):
        if site.module.resolve(assign.value) in CERT_NONE:
            if not isinstance(assign.value, ast.Attribute):
                raise_unfixable = "verify_mode is set from a bare `CERT_NONE` name; set it to `ssl.CERT_REQUIRED`"
                values.append((assign.value, raise_unfixable))
            else:
                values.append((assign.value, ast.unparse(assign.value.value) + ".CERT_REQUIRED"))
            what.append("the certificate")
    if not values:
        return None
    checks = " and ".join(sorted(set(what)))
    return (f"a TLS client context is told not to check {checks}: anyone on the network path can pose as the server",
            site.node, {"how": "assignments", "values": values})


def _urllib3_cert_none(site: CallSite) -> tuple[str, ast.AST, dict] | None:
    if site.name not in URLLIB3_MAKERS:
        return None
    node = keyword_arg(site, "cert_reqs")
    if node is None:
        return None
    none = (isinstance(node, ast.Constant) and node.value in ("CERT_NONE", "NONE")) or site.module.resolve(node) in CERT_NONE
    if not none:
        return None
    return (f"`{site.name}()` is made with cert_reqs={ast.unparse(node)}: its connections accept any certificate, so "
            "anyone on the network path can pose as the server",
            site.node, {"how": "keywords", "values": {"cert_reqs": '"CERT_REQUIRED"'}})


def _holder(site: CallSite) -> ast.expr | None:
    """What the made object is stored in: `s` of `s = f()` or `with f() as s`, `self.s` of `self.s = f()`."""
    scope = site.function.node if site.function is not None else site.module.tree
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and node.value is site.node and len(node.targets) == 1:
            target = node.targets[0]
            return target if isinstance(target, (ast.Name, ast.Attribute)) else None
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.context_expr is site.node and isinstance(item.optional_vars, ast.Name):
                    return item.optional_vars
    return None


def _assignments_to(site: CallSite, holder: ast.expr, attr: str) -> list[ast.Assign]:
    """`holder.attr = ...` statements after the call, in the same function (or module-level code)."""
    scope = site.function.node if site.function is not None else site.module.tree
    key = ast.unparse(holder)
    found = []
    for node in ast.walk(scope):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute)
                and node.targets[0].attr == attr and ast.unparse(node.targets[0].value) == key
                and node.lineno >= site.node.lineno):
            if site.function is None and _in_function(site.module.tree, node):
                continue
            found.append(node)
    return found


def _in_function(tree: ast.Module, node: ast.AST) -> bool:
    return any(node is n for top in tree.body if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
               for n in ast.walk(top))


def how_to_reach(site: CallSite, analysis: Analysis) -> dict:
    """How the proof runs the code: a web view through its route ({"entry": "route"}), a function
    taking the URL with a URL (`_url_param`), anything else called as it is."""
    fn = site.function
    if fn is not None and not fn.nested and (route_of(fn) is not None or django_url(fn, analysis.index)):
        return {"entry": "route"}
    return _url_param(site)


def _url_param(site: CallSite) -> dict:
    """When a parameter of the enclosing function becomes the URL, the proof passes a URL through it:
    {"via_param": name, "url_payload": expression}; otherwise nothing (the test calls it as it is)."""
    where = URL_ARGUMENT.get(site.name or "")
    method = site.node.func.attr if isinstance(site.node.func, ast.Attribute) else None
    if where is None and method in URL_ARGUMENT and receiver_of(site):
        where = URL_ARGUMENT[method]
    fn = site.function
    if fn is None:
        return {}
    if where is None:
        return _url_named_param(fn)
    position, keyword = where
    if len(site.node.args) > position:
        value = site.args[position]
    else:
        value = site.keywords.get(keyword)
    if value is None:
        return _url_named_param(fn)
    params = [o.source.name for o in value.origins if o.source.kind == "param" and o.source.func == fn.full_name]
    if len(params) != 1:
        return _url_named_param(fn) if not value.origins else {}
    payload = repr(PROOF_URL) if input_picks_host(value) else '"status"'
    return {"via_param": params[0], "url_payload": payload}


URL_PARAMS = frozenset({"url", "uri", "endpoint", "link", "href", "address", "base_url", "api_url", "target_url"})


def _url_named_param(fn) -> dict:
    """A session or context made in a function that takes the URL it then calls (`fetch(url)`)."""
    params = [p for p in fn.params if p in URL_PARAMS]
    return {"via_param": params[0], "url_payload": repr(PROOF_URL)} if len(params) == 1 else {}


def _old_protocol(site: CallSite) -> tuple[str, ast.AST, dict] | None:
    """`ssl.SSLContext(ssl.PROTOCOL_TLSv1)` (or SSLv2/SSLv3/TLSv1_1), `ssl.wrap_socket(..., ssl_version=...)`."""
    if site.name == "ssl.wrap_socket":
        node = keyword_arg(site, "ssl_version")
        if node is None and len(site.node.args) > 5:
            node = site.node.args[5]
        if node is None or site.module.resolve(node) not in OLD_PROTOCOLS:
            return None
        old = site.module.resolve(node).split(".")[-1]
        return (f"`ssl.wrap_socket()` is called with ssl_version={old}: the connection speaks an old protocol with "
                "known weaknesses (BEAST, POODLE, weak ciphers) that a network attacker can exploit", site.node,
                {"how": "replace", "weakness": "protocol",
                 "unfixable": "ssl.wrap_socket() cannot set a minimum TLS version and was removed in Python 3.12: "
                              "make a context with ssl.create_default_context() (or ssl.SSLContext("
                              "ssl.PROTOCOL_TLS_SERVER) for a server) and call its wrap_socket() instead"})
    if site.name != "ssl.SSLContext":
        return None
    first = site.node.args[0] if site.node.args else keyword_arg(site, "protocol")
    if first is None or site.module.resolve(first) not in OLD_PROTOCOLS:
        return None
    old = site.module.resolve(first).split(".")[-1]
    detail: dict = {"how": "replace", "weakness": "protocol"}
    holder = _holder(site)
    if holder is not None and _is_server_context(site, holder):
        # A server's context: PROTOCOL_TLS_SERVER keeps its settings (no client certificate asked) and
        # accepts TLS 1.2 and later only.
        target, detail["code"] = first, "{ssl}.PROTOCOL_TLS_SERVER"
        role = "server"
    else:
        # A client's context: ssl.create_default_context() refuses TLS < 1.2 and, unlike a bare
        # SSLContext(PROTOCOL_TLS_CLIENT), loads the system's CA certificates so connections still succeed.
        target, detail["code"] = site.node, "{ssl}.create_default_context()"
        role = "client"
        if site.node.keywords or len(site.node.args) > 1:
            detail["unfixable"] = "the context is made with further options: replace it by ssl.create_default_context()"
        elif holder is not None and (_assignments_to(site, holder, "verify_mode")
                                     or _assignments_to(site, holder, "check_hostname")):
            detail["unfixable"] = ("the code sets the context's verification after making it: make it with "
                                   "ssl.create_default_context() and keep the certificate checks on")
    return (f"a TLS {role} context is made with ssl.{old}: it can only speak an old protocol with known weaknesses "
            "(BEAST, POODLE, weak ciphers), which a network attacker can exploit to read or change the traffic",
            target, detail)


def _is_server_context(site: CallSite, holder: ast.expr) -> bool:
    """The context loads its own certificate chain or wraps sockets with server_side=True."""
    scope = site.function.node if site.function is not None else site.module.tree
    key = ast.unparse(holder)
    for node in ast.walk(scope):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and ast.unparse(node.func.value) == key):
            if node.func.attr in SERVER_METHODS:
                return True
            if node.func.attr == "wrap_socket" and any(
                    k.arg == "server_side" and not (isinstance(k.value, ast.Constant) and not k.value.value)
                    for k in node.keywords):
                return True
    return False


def _old_minimum(site: CallSite) -> tuple[str, ast.AST, dict] | None:
    """`ctx.minimum_version = ssl.TLSVersion.TLSv1` (or SSLv3, TLSv1_1) on a context the function makes."""
    if site.name not in CONTEXT_MAKERS:
        return None
    holder = _holder(site)
    if holder is None:
        return None
    values = []
    for assign in _assignments_to(site, holder, "minimum_version"):
        resolved = site.module.resolve(assign.value)
        if resolved not in OLD_VERSIONS:
            continue
        if isinstance(assign.value, ast.Attribute):
            values.append((assign.value, ast.unparse(assign.value.value) + ".TLSv1_2"))
        else:
            values.append((assign.value, "minimum_version is set from a bare name; set it to ssl.TLSVersion.TLSv1_2"))
    if not values:
        return None
    old = site.module.resolve(values[0][0]).split(".")[-1]
    return (f"a TLS context gets `minimum_version = {old}`: it still accepts protocols older than TLS 1.2, with known "
            "weaknesses (BEAST, POODLE, weak ciphers) that a network attacker can force and exploit",
            site.node, {"how": "assignments", "values": values, "weakness": "protocol"})
