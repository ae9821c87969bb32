"""Where a Django view is reachable: its URL in the project's URLconf, and the settings to load.

Read from the syntax alone (Django is not imported): `path("notes/<int:pk>/", views.note)` and
`re_path(...)` entries of `urlpatterns`, under the prefixes of the `include("app.urls")` entries
that lead to their module; class-based views through `View.as_view()`. Placeholders are filled
with a plausible value of their converter, so a test client can request the URL.
"""

from __future__ import annotations

import ast
import re

from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex

ROUTE_CALLS = frozenset({"django.urls.path", "django.urls.re_path", "django.conf.urls.url"})
INCLUDE = "django.urls.include"
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
SAMPLES = {"int": "1", "slug": "sample", "uuid": "00000000-0000-0000-0000-000000000001", "path": "sample"}


def django_url(fn: FunctionInfo, index: ProjectIndex) -> str | None:
    """The URL path `fn` (a view function, or a method of a class-based view) answers at, or None."""
    for module in _url_modules(index):
        for route, view in _routes(module):
            if _is_view(view, fn, module):
                return "/" + _filled(_prefix(module.name, index) + route).lstrip("/")
    return None


def django_settings(index: ProjectIndex) -> str | None:
    """The settings module: the one assigning ROOT_URLCONF."""
    for f in index.files:
        if "ROOT_URLCONF" in index.text_of(f.path) and (module := index.module_at(f.path)) is not None:
            if any(isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "ROOT_URLCONF" for t in s.targets)
                   for s in module.tree.body):
                return module.name
    return None


def _url_modules(index: ProjectIndex) -> list[ModuleInfo]:
    return [m for f in index.files if "urlpatterns" in index.text_of(f.path) and (m := index.module_at(f.path)) is not None]


def _routes(module: ModuleInfo) -> list[tuple[str, ast.expr]]:
    out = []
    for node in ast.walk(module.tree):
        if (isinstance(node, ast.Call) and module.resolve(node.func) in ROUTE_CALLS and len(node.args) >= 2
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            route = node.args[0].value
            if module.resolve(node.func) != "django.urls.path":  # a regex: its literal text
                route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).strip("^$")
            out.append((route, node.args[1]))
    return out


def _is_view(view: ast.expr, fn: FunctionInfo, module: ModuleInfo) -> bool:
    if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
        return fn.class_name is not None and module.resolve(view.func.value) == f"{fn.module.name}.{fn.class_name}"
    return fn.class_name is None and module.resolve(view) == fn.full_name


def _prefix(urls_module: str, index: ProjectIndex, depth: int = 4) -> str:
    """The route text of the `include()` that leads to `urls_module`, itself under its own include."""
    if depth == 0:
        return ""
    for module in _url_modules(index):
        for route, view in _routes(module):
            if (isinstance(view, ast.Call) and module.resolve(view.func) == INCLUDE and view.args
                    and isinstance(view.args[0], ast.Constant) and view.args[0].value == urls_module):
                return _prefix(module.name, index, depth - 1) + route
    return ""


def _filled(route: str) -> str:
    return CONVERTER.sub(lambda m: SAMPLES.get(m.group(1) or "str", "sample"), route)
