"""What a recipe is: a detector match, a rewrite, and a proof-test template for one vulnerability class.

Recipes are composed, codemodder-style: `detect` turns a recorded call site into a
`Match`, `rewrite` turns a match into new file texts (or raises `Unfixable`), and
`proof` renders the pytest file that demonstrates the exploit on the original code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex
from provenfix.flow.entrypoints import starlette_route
from provenfix.flow.routes import django_settings, django_url
from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.taint import SETTING, Analysis, CallSite, Origin, Value
from provenfix.workspace import is_test_file
from provenfix.model import EntryPoint, Finding


@dataclass
class Match:
    """A sink reached by untrusted data (or, for weak randomness, a secret made from `random`)."""

    site: CallSite
    value: Value  # what reached the sink
    message: str
    target: ast.AST  # the node the codemod rewrites (the call, or the path join)
    confidence: str = "high"
    helper: FunctionInfo | None = None  # project function that builds the dangerous string
    detail: dict = field(default_factory=dict)

    @property
    def origins(self) -> list[Origin]:
        return sorted(self.value.origins, key=lambda o: (o.source.kind != "param", o.source.line, o.source.name))


class Recipe:
    """One vulnerability class, everything class-specific in one place: a subclass in a module of
    this package is found by `recipes/__init__.py`, and a table of the same `rule_id` in
    `knowledge/rules.toml` explains it."""

    rule_id: str
    kind: str  # taint kind used for sanitizers: "cmd", "sql", "yaml", "code", "path", "rand", ...
    call_names: frozenset[str]  # bare names of the calls `detect` can match: the analysis skips code without any
    # The analysis' stand-in calls `detect` judges besides (`flow.taint.RESPONSE`, `SESSION_STORE`, …; `SETTING`
    # goes without saying for a recipe with `settings`): a call site reaches `detect` only when named in either.
    stand_ins: frozenset[str] = frozenset()
    every_call: bool = False  # `detect` judges calls of any name (a literal password= passed to whatever)
    # Bandit and Ruff (flake8-bandit) ids meaning the same: `# nosec B602` silences PF-CMD too, and
    # `provenfix bench` counts Bandit's hits of these as this class.
    equivalent_ids: frozenset[str] = frozenset()
    sanitizers: frozenset[str] = frozenset()  # calls whose result is safe for this kind only (`shlex.quote`)
    sanitizing_methods: frozenset[str] = frozenset()  # methods likewise, whatever their object (`ops.quote_name`)
    guard_calls: frozenset[str] = frozenset()  # checks that, when true, prove their first argument safe for this kind
    # The function the fix inserts into the project (its source, as inserted): a call of a project
    # function with exactly this code is this kind's sanitizer, so the re-scan of a fix is clean.
    helper_code: str = ""
    # Input cleared of a quote character (`x.replace("'", "&apos;")`, `if "'" in x: return`) cannot
    # leave the quoted literal it is put in: safe for this kind (it assumes the code quotes it).
    quote_cleared_is_safe: bool = False
    # Input cleared of newlines (`x.replace("\n", " ")`) is one line: safe for this kind (a log line, a header).
    line_breaks_cleared_is_safe: bool = False
    # Request fields (attributes or methods) this kind has nothing to fear from (`request.path` for a redirect).
    safe_request_fields: frozenset[str] = frozenset()
    # Names of a project's own functions trusted to make input safe for this kind (`escape_html`).
    project_sanitizers: frozenset[str] = frozenset()
    # The fix encodes input where it enters text (`f"<p>{bar}</p>"`): the analysis records those places.
    escapes_at_splice: bool = False
    harness: str = ""  # the proof harness its tests need beyond the entry point: "" or "sql" (a recording sqlite3)
    # A public function's parameter passed to the sink unchanged is a finding in library mode: the
    # sink's whole argument is what a caller chooses (`eval(expr)`), not one part of a string.
    reports_pass_through: bool = False
    # Findings made of a call alone, no input involved (a secret from `random`, a cookie without
    # Secure): the top-level modules whose importers may hold one ("builtins": any module, `open`).
    without_input: frozenset[str] = frozenset()
    # With `without_input`: a regular expression a module's text must also match for its calls to be
    # judged without input, for modules imported almost everywhere (`os`): `/tmp`, `chmod`.
    without_input_text: str = ""
    # Module-level settings whose value alone is a finding (`DEBUG = True`): their assignments reach
    # `detect` as calls of `flow.taint.SETTING`, named by the setting.
    settings: frozenset[str] = frozenset()
    setting_ending: str = ""  # a regular expression: the names ending in a match of it are settings too (`API_KEY`)

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        raise NotImplementedError

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        """New texts for the files that change (raises codemods.base.Unfixable)."""
        raise NotImplementedError

    def proof(self, finding: Finding, match: Match) -> "ProofPlan":
        raise NotImplementedError

    def environment(self, match: Match) -> list[str]:
        """The variables the fixed code reads from its deployment (a credential moved out of the source)."""
        return []


@dataclass(frozen=True)
class ProofPlan:
    """The class-specific part of a proof test: set-up, payloads, and the assertion."""

    payloads: list[str]  # Python expressions, evaluated in the test (may use `tmp_path`, `canary`)
    setup: str  # statements run before the attack (may define names used by the payloads)
    check: str  # statements after the attack; `results` holds what each attempt returned or raised
    doc: str  # one line: what the test shows
    file_payload: bool = False  # write each payload to a file and pass its path instead
    before_each: str = ""  # a statement run before every attempt
    # The proof's other half: inputs of the payloads' shape that the fix must treat as the original
    # did (expressions, like payloads). Never inputs a fix may rightly refuse: a plain file name
    # inside the base directory, digits for an id, a word for a search term.
    benign: list[str] = field(default_factory=list)
    benign_setup: str = ""  # statements that give the benign inputs something to find (the file a name names)
    # "value": what the call returns, raises and writes; "shape": type and length only (output meant
    # to be random); "command": value, with a program missing from the sandbox one observation however it shows;
    # "type": the type alone (a digest or ciphertext the fix changes by design).
    observe: Literal["value", "shape", "command", "type"] = "value"
    directory: str = "tmp_path"  # what a parameter naming a directory is given (a Path the set-up defines)


def input_shape(finding: Finding, match: Match) -> str:
    """What the untrusted input names, judged by the parameter or request field it arrives in:
    "int" (an int-annotated parameter), "id", "host", "dir", "file" or "word" (anything else),
    so that benign inputs look like the real ones."""
    entry = finding.entry
    if entry is None:
        return "word"
    name = entry.tainted_param or (entry.request_field or "").partition(":")[2]
    fn = match.site.function
    if fn is not None and entry.tainted_param:
        args = fn.node.args
        annotation = next((a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs) if a.arg == name), None)
        if annotation is not None and ast.unparse(annotation) == "int":
            return "int"
    words = set(re.split(r"[^a-z0-9]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()))
    if words & {"id", "pk", "num", "number", "count", "limit", "offset", "page", "port", "size"}:
        return "id"
    if words & {"host", "hostname", "server", "addr", "address", "ip", "domain"}:
        return "host"
    if words & {"dir", "directory", "folder", "workspace", "root", "base"}:
        return "dir"
    if words & {"file", "filename", "fname", "path", "filepath", "attachment", "upload", "document"}:
        return "file"
    return "word"


def identifier_words(name: str) -> list[str]:
    """`resetToken`, `RESET_TOKEN`, `reset-token` → ["reset", "token"]: what a name says, in lower case."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w.lower() for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def word_set(name: str) -> set[str]:
    return set(identifier_words(name))


def own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of `scope`'s body, not descending into the functions, classes and lambdas it defines."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def bare_names(canonical: frozenset[str]) -> frozenset[str]:
    """"subprocess.run" → "run": what a call looks like before its name is resolved."""
    return frozenset(name.rsplit(".", 1)[-1] for name in canonical)


def keyword_arg(site: CallSite, name: str) -> ast.expr | None:
    for kw in site.node.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(site: CallSite, position: int, keyword: str) -> tuple[ast.expr, Value] | None:
    """The argument at `position`, or passed as `keyword`: its node and value; None when absent or `*args`."""
    if len(site.node.args) > position:
        node, value = site.node.args[position], site.args[position]
    else:
        node, value = keyword_arg(site, keyword), site.keywords.get(keyword)
    if node is None or value is None or isinstance(node, ast.Starred):
        return None
    return node, value


# What may come before input that still decides where a URL goes: nothing, a scheme, slashes.
OPEN_URL_LEAD = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?/{0,2}")


def input_picks_host(value: Value) -> bool:
    """Input decides the host of URL `value`: it is the URL, or comes right after the scheme or a
    `/` (`"/" + x` is `//host` for x = "/host"). Input after text whose host the code chose, or
    built in ways not followed, does not."""
    lead = value.leading()
    return lead is not None and OPEN_URL_LEAD.fullmatch(lead) is not None


FLASK_APPS = ("flask.Flask()", "quart.Quart()")  # what `app = Flask(__name__)` makes, as the analysis types it


def setting_of(site: CallSite, analysis: Analysis) -> tuple[str, str, ast.expr] | None:
    """A `SETTING` stand-in's (name, where, value node): where is "django" for the Django settings
    module, "flask" for a Flask or Quart app's config; None for other code setting a name alike."""
    if site.name != SETTING:
        return None
    func, value = site.node.func, site.node.args[0]
    if isinstance(func, ast.Name) and site.function is None and django_settings(analysis.index) == site.module.name:
        return func.id, "django", value
    if isinstance(func, ast.Attribute) and (site.receiver_type or "").startswith(FLASK_APPS):
        return func.attr, "flask", value
    return None


def is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def user_controlled(value: Value, kind: str) -> bool:
    """Untrusted data, or a parameter of the enclosing function, reaches the sink unsanitized for `kind`.
    Whether a parameter is reported is the scan's decision (detect.py: its callers, or library mode)."""
    return value.tainted(kind)


def entry_for(match: Match, index: ProjectIndex) -> EntryPoint | None:
    fn = match.site.function
    if fn is None and match.detail.get("entry") == "script":  # module-level code: the test runs the module
        return EntryPoint(kind="script", module=match.site.module.name, qualname="__main__")
    if match.detail.get("entry") == "settings":  # a Django setting: the test requests a page
        settings = django_settings(index)
        return EntryPoint(kind="route", framework="django", route=MISSING_PAGE, methods=["GET"], settings_module=settings,
                          module=match.site.module.name, qualname="<settings>") if settings else None
    if match.detail.get("entry") == "flask-settings":  # a Flask app's config: the test has the app
        app = _find_app(index)
        return EntryPoint(kind="route", framework="flask", route=MISSING_PAGE, methods=["GET"], module=match.site.module.name,
                          qualname="<settings>", **app) if app else None
    if fn is not None and fn.nested:  # input the enclosing function receives reaches it: the test calls that one
        fn = fn.module.functions.get(fn.qualname.split(".<locals>.")[0])
    if fn is None or fn.nested:
        return None
    params = [p for p in fn.params if not (fn.class_name and p in ("self", "cls"))]
    base = dict(module=fn.module.name, qualname=fn.qualname, params=params, is_async=fn.is_async, class_name=fn.class_name)
    own = {o.source.name for o in match.origins if o.source.kind == "param" and o.source.func == fn.full_name}
    if "@" in fn.qualname:  # an earlier definition a later one of the same name replaced: nothing can call it
        return None
    if "via_param" in match.detail:  # reached through a call: the test calls the function with the sink
        own.add(match.detail["via_param"])
    for name in params:  # signature order: the same finding always gets the same proof test
        if name in own:
            return EntryPoint(kind="function", tainted_param=name, **base)
    for o in match.origins:
        field_name = f"{o.source.name}:{o.source.key or ''}"
        if o.source.kind == "request" and (route := route_of(fn)) is not None:
            framework = _framework(fn)
            app = _find_app(index, framework)
            if app is None:
                return None
            path, methods = route
            return EntryPoint(kind="route", framework=framework, route=path, methods=methods, request_field=field_name,
                              **app, **base)
        if o.source.kind == "request" and (django := _django_route(fn, index, o.source.name in ("POST", "body", "FILES"))):
            return EntryPoint(kind="route", request_field=field_name, **django, **base)
    if not match.origins and match.detail.get("entry") == "route":  # a response header: the test requests the page
        framework = _framework(fn)
        route, app = route_of(fn), _find_app(index, framework)
        if route is not None and app is not None:
            return EntryPoint(kind="route", framework=framework, route=route[0], methods=route[1], **app, **base)
        django = _django_route(fn, index, posted=False)
        return EntryPoint(kind="route", **django, **base) if django else None
    if not match.origins:  # e.g. a token generator: the test calls it as it is
        return EntryPoint(kind="function", **base)
    return None


MISSING_PAGE = "/provenfix-no-such-page/"  # a URL no project routes: its 404 page shows what the settings do


def route_of(fn: FunctionInfo) -> tuple[str, list[str]] | None:
    """The path and methods of the route `fn`'s decorator (Flask, FastAPI, Starlette) serves; None for other functions."""
    if (route := starlette_route(fn)) is not None:
        return route
    for d in fn.node.decorator_list:
        if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in (
            "route", "get", "post", "put", "patch", "delete"
        ):
            path = d.args[0].value if d.args and isinstance(d.args[0], ast.Constant) else "/"
            if d.func.attr != "route":
                return path, [d.func.attr.upper()]
            methods = ["GET"]
            for kw in d.keywords:
                if kw.arg == "methods" and isinstance(kw.value, (ast.List, ast.Tuple)):
                    methods = [m.value.upper() for m in kw.value.elts if isinstance(m, ast.Constant)]
            return path, methods
    return None


def route_or_function(site: CallSite) -> str:
    """How a proof reaches the function holding `site`: "route" (its decorator serves a URL) or "function"."""
    fn = site.function
    assert fn is not None
    return "route" if route_of(fn) is not None else "function"


def assignments(scope: ast.AST, name: str, top_level: bool = False) -> list[ast.Assign]:
    """Plain `name = value` statements in `scope` (its own body only, not nested functions), plus a
    sentinel for any other binding of it (augmented, a loop, `with ... as`), which makes it unknown."""
    found: list = []
    nodes = scope.body if top_level else list(own_nodes(scope))
    for node in nodes:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found.append(node if len(node.targets) == 1 else None)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.withitem, ast.NamedExpr)):
            target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
            if target is not None and any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target)):
                if isinstance(node, ast.AnnAssign) and node.value is not None:
                    found.append(ast.Assign(targets=[node.target], value=node.value))
                else:
                    found.append(None)
    if any(f is None for f in found):
        return [None, None]  # type: ignore[list-item]  # more than one: unknown
    return found


def _django_route(fn: FunctionInfo, index: ProjectIndex, posted: bool) -> dict | None:
    """How a test client requests the Django view `fn`: its URL, method and the settings to load.
    A class-based view's method is its name; a function view is sent a POST when its input is."""
    url, settings = django_url(fn, index), django_settings(index)
    if not url or not settings:
        return None
    method = fn.node.name.upper() if fn.class_name and fn.node.name in ("get", "post", "put", "patch", "delete") \
        else ("POST" if posted else "GET")
    return {"framework": "django", "route": url, "methods": [method], "settings_module": settings}


def _framework(fn: FunctionInfo) -> str:
    """Whose route decorator `fn` carries: FastAPI's (and Starlette's) or Flask's."""
    return "fastapi" if fn.module.imported_roots & {"fastapi", "starlette"} else "flask"


APP_CLASSES = {"flask": frozenset({"flask.Flask"}), "fastapi": frozenset({"fastapi.FastAPI", "starlette.applications.Starlette"})}


def _find_app(index: ProjectIndex, framework: str = "flask") -> dict | None:
    """Where the app comes from: a module-level `app = Flask(...)` (or `FastAPI()`) or a factory function."""
    classes = APP_CLASSES[framework]
    for module in index.modules.values():
        for stmt in module.tree.body:
            if isinstance(stmt, ast.Assign) and _is_app_call(stmt.value, module, classes) and isinstance(stmt.targets[0], ast.Name):
                return {"app_module": module.name, "app_object": stmt.targets[0].id}
        for fn in module.functions.values():
            if fn.nested or fn.class_name:
                continue
            for node in ast.walk(fn.node):
                if isinstance(node, ast.Call) and _is_app_call(node, module, classes):
                    return {"app_module": module.name, "app_factory": fn.qualname}
    return None


def _is_app_call(node: ast.expr, module, classes: frozenset[str]) -> bool:
    return isinstance(node, ast.Call) and module.resolve(node.func) in classes


def helper_called_at(site: CallSite, analysis: Analysis) -> FunctionInfo | None:
    """The project function whose return value is the command or query, when the sink runs `helper(...)` directly."""
    arg = site.node.args[0] if site.node.args else None
    if isinstance(arg, ast.Call):
        callee = analysis.index.function(site.module.resolve(arg.func))
        if callee is not None:
            return callee
    return None


def rewrite_with_helper(match: Match, texts: dict[str, str], index: ProjectIndex, fix_helper, fix_sink) -> dict[str, str]:
    """Rewrite the helper that builds the string and the sink that runs it, as one change."""
    helper = match.helper
    assert helper is not None
    # Test code may call the helper too; the project's suite, run by the verifier, judges those uses.
    callers = [n for m in index.modules.values() if not is_test_file(m.path) for n in ast.walk(m.tree)
               if isinstance(n, ast.Call) and index.function(m.resolve(n.func)) is helper]
    if len(callers) != 1:
        raise Unfixable(f"`{helper.qualname}()` is called in {len(callers)} places; changing what it returns would break the others")
    sink_path, helper_path = match.site.module.path, helper.module.path
    edits = [(helper_path, helper.node, fix_helper), (match.site.module.path, match.target, fix_sink)]
    out = dict(texts)
    # Bottom-up within a file so earlier spans stay valid.
    for path, node, fix in sorted(edits, key=lambda e: (e[0], -e[1].lineno)):
        out[path] = fix(out[path], span_of(node, texts[path]))
    return {p: out[p] for p in {sink_path, helper_path}}


def by_module(nodes: list[ast.AST], index: ProjectIndex, near: ModuleInfo) -> dict[str, list[ast.AST]]:
    """`nodes` grouped by the path of the module holding each: the places one fix rewrites, a helper's among them."""
    out: dict[str, list[ast.AST]] = {}
    for node in nodes:
        out.setdefault(module_of(node, index, near).path, []).append(node)
    return out


def module_of(node: ast.AST, index: ProjectIndex, near: ModuleInfo | None = None) -> ModuleInfo:
    """The module whose tree holds `node`: `near` (the sink's, where the code to rewrite usually is) first, then
    the others the analysis parsed (the node came from one), looked for by line, so a large
    project's other trees are neither parsed nor walked."""
    line = getattr(node, "lineno", 0)
    for module in [near] * (near is not None) + index.parsed():
        if line <= len(module.lines) and any(n is node for top in module.tree.body
                                             if top.lineno <= line <= (top.end_lineno or top.lineno)
                                             for n in ast.walk(top)):
            return module
    raise Unfixable("cannot locate the code to rewrite in the project")
