"""Entry points: which parameters of a function a framework fills from a request or a command line.

Read from the syntax alone (no framework is imported): route decorators of Flask, Quart, FastAPI
and aiohttp, Django and Django REST framework views (functions and classes), Flask and aiohttp
class-based views, Tornado handlers, click and typer commands. A parameter the framework converts
to a number, a UUID or a date before the function sees it (`<int:id>`, `item_id: int`) is left
out: it cannot carry an injection.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from provenfix.flow.index import FunctionInfo, ModuleInfo

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket", "route"})
VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "dispatch", "dispatch_request",
                          "list", "create", "retrieve", "update", "partial_update", "destroy", "prepare"})
SAFE_CONVERTERS = frozenset({"int", "float", "uuid"})
SAFE_ANNOTATIONS = frozenset({"builtins.int", "builtins.float", "builtins.bool", "uuid.UUID", "datetime.date",
                              "datetime.datetime", "datetime.time", "datetime.timedelta", "decimal.Decimal",
                              "pydantic.UUID4", "pydantic.PositiveInt", "pydantic.NonNegativeInt"})
REQUEST_ANNOTATIONS = {"fastapi.Request": "starlette.requests.Request", "starlette.requests.Request": "starlette.requests.Request",
                       "fastapi.WebSocket": "starlette.requests.Request", "starlette.websockets.WebSocket": "starlette.requests.Request"}
# What FastAPI hands a route by its type, not from the request: the response it will send, its tasks.
INJECTED_ANNOTATIONS = {"fastapi.Response": "starlette.responses.Response", "fastapi.responses.Response": "starlette.responses.Response",
                        "starlette.responses.Response": "starlette.responses.Response",
                        "fastapi.BackgroundTasks": "starlette.background.BackgroundTasks",
                        "starlette.background.BackgroundTasks": "starlette.background.BackgroundTasks"}
NOT_INPUT_DEFAULTS = ("Depends", "Security", "BackgroundTasks")
# Base classes (by canonical prefix) whose handler methods are entry points, and what `self` is there.
VIEW_BASES = (
    ("rest_framework.", "drf", "rest_framework.request.Request", None),
    ("django.views", "django", "django.http.HttpRequest", None),
    ("flask.views.", "flask", None, None),
    ("aiohttp.web.View", "aiohttp", None, "aiohttp.web.View"),
    ("tornado.web.RequestHandler", "tornado", None, "tornado.web.RequestHandler"),
)
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@dataclass(frozen=True)
class EntryParam:
    framework: str  # "flask", "django", "drf", "fastapi", "aiohttp", "tornado", "click", "typer"
    kind: str  # "web" | "cli"
    tainted: bool  # the value itself is input (else a framework object whose fields are: see `type`)
    type: str | None  # a catalog type ("django.http.HttpRequest", ...) for request objects and handlers
    description: str  # evidence: "route parameter `name` of `/files/<name>` (Flask)"


def entry_params(fn: FunctionInfo) -> dict[str, EntryParam]:
    """The parameters of `fn` a framework fills from a request or a command line; {} for other functions."""
    cache = fn.module.memo.setdefault("entry_params", {})
    if fn.qualname not in cache:
        cache[fn.qualname] = _entry_params(fn) if not fn.nested else {}
    return cache[fn.qualname]


def _entry_params(fn: FunctionInfo) -> dict[str, EntryParam]:
    module = fn.module
    roots = module.imported_roots
    for decorator in fn.node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        func = call.func if call else decorator
        name = module.resolve(func) or ""
        attr = func.attr if isinstance(func, ast.Attribute) else name.rpartition(".")[2]
        if roots & {"click", "typer"} and attr in ("command", "group", "callback"):
            return _command(fn, "typer" if "typer" in roots else "click")
        if attr == "api_view" and "rest_framework" in roots:
            return _view(fn, "drf", "rest_framework.request.Request")
        if attr in HTTP_METHODS and call is not None:
            path = call.args[0].value if call.args and isinstance(call.args[0], ast.Constant) else ""
            if "fastapi" in roots or "starlette" in roots:
                return _fastapi(fn, str(path))
            if "aiohttp" in roots:
                return _view(fn, "aiohttp", "aiohttp.web.Request")
            if roots & {"flask", "quart"} or attr == "route":
                return _flask(fn, str(path))
    if not fn.class_name and starlette_route(fn) is not None:
        return _view(fn, "starlette", "starlette.requests.Request")
    if fn.class_name:
        for prefix, framework, request_type, self_type in VIEW_BASES:
            if fn.node.name in VIEW_METHODS and _derives(module, fn.class_name, prefix):
                return _method(fn, framework, request_type, self_type)
        return {}
    if module.path.endswith("views.py") or "/views/" in f"/{module.path}":  # where Django's function views live
        params = _positional(fn)
        if params and params[0] == "request" and fn.node.name not in _handed_the_request(module):
            return _view(fn, "django", "django.http.HttpRequest")
    return {}


def _handed_the_request(module) -> frozenset[str]:
    """Functions of a views module its own functions call with their request (`render_flatpage(request, f)`):
    helpers of the views, whose other parameters are what the view passes, not URL captures."""
    if "handed_the_request" not in module.memo:
        module.memo["handed_the_request"] = frozenset(
            node.func.id for fn in module.functions.values() for node in ast.walk(fn.node)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id != fn.node.name
            and node.args and isinstance(node.args[0], ast.Name) and node.args[0].id == "request")
    return module.memo["handed_the_request"]


def starlette_route(fn: FunctionInfo) -> tuple[str, list[str]] | None:
    """The path and methods of a `Route("/path", fn, methods=[...])` of Starlette in `fn`'s module: the
    endpoints of an app that has no route decorators."""
    module = fn.module
    if "starlette" not in module.imported_roots:
        return None
    if "starlette_routes" not in module.memo:
        routes = {}
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call) and module.resolve(node.func) in ("starlette.routing.Route", "fastapi.routing.APIRoute"):
                args = {**dict(zip(("path", "endpoint"), node.args)), **{k.arg: k.value for k in node.keywords if k.arg}}
                path, endpoint, methods = args.get("path"), args.get("endpoint"), args.get("methods")
                if isinstance(path, ast.Constant) and isinstance(path.value, str) and isinstance(endpoint, ast.Name):
                    verbs = [m.value.upper() for m in getattr(methods, "elts", []) if isinstance(m, ast.Constant)]
                    routes[endpoint.id] = (path.value, verbs or ["GET"])
        module.memo["starlette_routes"] = routes
    return module.memo["starlette_routes"].get(fn.qualname)


def returns_html(fn: FunctionInfo) -> bool:
    """A Flask, Quart or Bottle view: the text it returns is sent as an HTML page (text/html)."""
    if not fn.module.imported_roots & {"flask", "quart", "bottle"}:
        return False
    return any(isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in HTTP_METHODS
               for d in fn.node.decorator_list)


def fixed_route(fn: FunctionInfo) -> str | None:
    """The one URL path a Flask/Quart view answers, when its route has no placeholder: there
    `request.path` is that constant, not input."""
    if not fn.module.imported_roots & {"flask", "quart"}:
        return None
    paths = [d.args[0].value for d in fn.node.decorator_list
             if isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr in HTTP_METHODS
             and d.args and isinstance(d.args[0], ast.Constant) and isinstance(d.args[0].value, str)]
    return paths[0] if len(set(paths)) == 1 and len(paths) == len(fn.node.decorator_list) and "<" not in paths[0] else None


def _flask(fn: FunctionInfo, path: str) -> dict[str, EntryParam]:
    out = {}
    for converter, name in PLACEHOLDER.findall(path):
        if name in fn.params and converter not in SAFE_CONVERTERS:
            out[name] = EntryParam("flask", "web", True, None, f"route parameter `{name}` of `{path}` (Flask)")
    return out


def _fastapi(fn: FunctionInfo, path: str) -> dict[str, EntryParam]:
    module, out = fn.module, {}
    args = fn.node.args
    defaults = dict(zip([a.arg for a in args.args][len(args.args) - len(args.defaults):], args.defaults))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        annotation, extras = _unannotated(arg.annotation)
        default = defaults.get(arg.arg)
        if any(_is_call_to(e, module, NOT_INPUT_DEFAULTS) for e in [*extras, default] if e is not None):
            continue  # a dependency, not input
        resolved = module.resolve(annotation) if annotation is not None else None
        if resolved in REQUEST_ANNOTATIONS:
            out[arg.arg] = EntryParam("fastapi", "web", False, REQUEST_ANNOTATIONS[resolved], "the request (FastAPI)")
        elif resolved in INJECTED_ANNOTATIONS:
            out[arg.arg] = EntryParam("fastapi", "web", False, INJECTED_ANNOTATIONS[resolved], f"`{arg.arg}`, made by FastAPI")
        elif resolved not in SAFE_ANNOTATIONS and not _is_enum(module, resolved):
            out[arg.arg] = EntryParam("fastapi", "web", True, None, f"parameter `{arg.arg}` of `{path}` (FastAPI)")
    return out


def _view(fn: FunctionInfo, framework: str, request_type: str) -> dict[str, EntryParam]:
    """A view function: its first parameter is the request, the others are URL captures."""
    params = _positional(fn)
    out = {params[0]: EntryParam(framework, "web", False, request_type, "the request")} if params else {}
    for name in params[1:]:
        if not _safe_annotation(fn, name):
            out[name] = EntryParam(framework, "web", True, None, f"URL parameter `{name}` of `{fn.qualname}`")
    return out


def _method(fn: FunctionInfo, framework: str, request_type: str | None, self_type: str | None) -> dict[str, EntryParam]:
    params = fn.params
    out = {params[0]: EntryParam(framework, "web", False, self_type, "the handler")} if params and self_type else {}
    rest = params[1:]
    if request_type and rest and rest[0] == "request":
        out["request"] = EntryParam(framework, "web", False, request_type, "the request")
        rest = rest[1:]
    for name in rest:
        if not _safe_annotation(fn, name) and name not in ("args", "kwargs"):
            out[name] = EntryParam(framework, "web", True, None, f"URL parameter `{name}` of `{fn.qualname}`")
    return out


def _command(fn: FunctionInfo, framework: str) -> dict[str, EntryParam]:
    return {name: EntryParam(framework, "cli", True, None, f"command-line parameter `{name}` of `{fn.qualname}` ({framework})")
            for name in fn.params if not _safe_annotation(fn, name)}


def _positional(fn: FunctionInfo) -> list[str]:
    args = fn.node.args
    return [a.arg for a in (*args.posonlyargs, *args.args)]


def _safe_annotation(fn: FunctionInfo, name: str) -> bool:
    args = fn.node.args
    for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
        if arg.arg == name and arg.annotation is not None:
            annotation, _ = _unannotated(arg.annotation)
            return annotation is not None and fn.module.resolve(annotation) in SAFE_ANNOTATIONS
    return False


def _unannotated(annotation: ast.expr | None) -> tuple[ast.expr | None, list[ast.expr]]:
    """`Annotated[T, extra...]` → (T, extras); anything else → (itself, [])."""
    if isinstance(annotation, ast.Subscript) and isinstance(annotation.value, (ast.Name, ast.Attribute)):
        head = annotation.value.id if isinstance(annotation.value, ast.Name) else annotation.value.attr
        if head == "Annotated" and isinstance(annotation.slice, ast.Tuple) and annotation.slice.elts:
            return annotation.slice.elts[0], list(annotation.slice.elts[1:])
    return annotation, []


def _is_call_to(expr: ast.expr, module: ModuleInfo, names: tuple[str, ...]) -> bool:
    return isinstance(expr, ast.Call) and (module.resolve(expr.func) or "").rpartition(".")[2] in names


def _is_enum(module: ModuleInfo, resolved: str | None) -> bool:
    """A class of this module deriving from an Enum: FastAPI accepts only its values."""
    if not resolved or not resolved.startswith(module.name + "."):
        return False
    return _derives(module, resolved.rpartition(".")[2], "enum.")


def _derives(module: ModuleInfo, class_name: str, prefix: str, depth: int = 4) -> bool:
    """The class (of this module) derives from one whose canonical name starts with `prefix`."""
    classes = {s.name: s for s in module.tree.body if isinstance(s, ast.ClassDef)}
    node = classes.get(class_name)
    if node is None or depth == 0:
        return False
    for base in node.bases:
        resolved = module.resolve(base) or ""
        if resolved.startswith(prefix):
            return True
        if isinstance(base, ast.Name) and base.id in classes and _derives(module, base.id, prefix, depth - 1):
            return True
    return False
