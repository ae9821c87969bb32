"""The built-in vulnerability classes: every `Recipe` subclass defined in a module of this package.

Adding a class is adding a module here, its table in `knowledge/rules.toml` and its cases in
`tests/cases/`; nothing else names it. The tables below are derived from what recipes declare.
"""

import ast
import functools
import importlib
import pkgutil
import re

from provenfix.flow.taint import SETTING
from provenfix.recipes.base import Match, ProofPlan, Recipe, bare_names


def _discover() -> tuple[Recipe, ...]:
    found = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found += [obj() for obj in vars(module).values()
                  if isinstance(obj, type) and issubclass(obj, Recipe) and obj is not Recipe
                  and obj.__module__ == module.__name__]
    return tuple(sorted(found, key=lambda r: r.rule_id))  # one order on every machine: reports and benches follow it


RECIPES: tuple[Recipe, ...] = _discover()
BY_RULE: dict[str, Recipe] = {r.rule_id: r for r in RECIPES}
SINK_NAMES: frozenset[str] = frozenset().union(*(r.call_names for r in RECIPES))


def _judging() -> dict[str, tuple[Recipe, ...]]:
    """Bare callee name → the recipes whose `detect` can match a call of that name, in RECIPES' order."""
    names: dict[str, list[Recipe]] = {}
    for r in RECIPES:
        stand_ins = r.stand_ins | ({SETTING} if r.settings or r.setting_ending else set())
        for name in r.call_names | bare_names(frozenset(stand_ins)):
            names.setdefault(name, []).append(r)
    every = [r for r in RECIPES if r.every_call]
    return {name: tuple(r for r in RECIPES if r in found or r in every) for name, found in names.items()} | {"": tuple(every)}


JUDGING = _judging()


def judging(name: str | None, func: ast.expr) -> tuple[Recipe, ...]:
    """The recipes to ask about a call: those naming its callee, as resolved or as written (`run` of an
    alias `execute` of `subprocess.run`)."""
    written = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    resolved = name.rsplit(".", 1)[-1] if name else ""
    if written == resolved or not resolved:
        return JUDGING.get(written, JUDGING[""])
    either = {id(r) for r in (*JUDGING.get(written, JUDGING[""]), *JUDGING.get(resolved, ()))}
    return tuple(r for r in RECIPES if id(r) in either)


def _kinds_by_name(attribute: str) -> dict[str, frozenset[str]]:
    """Each name the recipes list under `attribute` → the taint kinds of the recipes listing it."""
    out: dict[str, set[str]] = {}
    for r in RECIPES:
        for name in getattr(r, attribute):
            out.setdefault(name, set()).add(r.kind)
    return {name: frozenset(kinds) for name, kinds in out.items()}


def _fix_helpers() -> dict[str, tuple[str, str]]:
    """The functions fixes insert, by name: (their code's syntax tree, the kind they defend)."""
    trees = [(ast.parse(r.helper_code).body[0], r.kind) for r in RECIPES if r.helper_code]
    return {tree.name: (ast.dump(tree), kind) for tree, kind in trees if isinstance(tree, ast.FunctionDef)}


def _settings_pattern() -> re.Pattern[str] | None:
    """The module-level names whose assignments some recipe judges: named, or by their ending."""
    names = "|".join(sorted(re.escape(n) for r in RECIPES for n in r.settings)) or "(?!)"
    endings = "|".join(sorted(r.setting_ending for r in RECIPES if r.setting_ending)) or "(?!)"
    return re.compile(rf"(?:{names})|\w*(?:{endings})")


# What the taint analysis needs to know of the classes: `flow.taint.Analysis`'s keyword arguments.
ANALYSIS_TABLES = {
    "sanitizers": _kinds_by_name("sanitizers"),  # calls that neutralise some classes of sink only
    "sanitizing_methods": _kinds_by_name("sanitizing_methods"),
    "safe_fields": _kinds_by_name("safe_request_fields"),
    "guard_calls": {name: r.kind for r in RECIPES for name in r.guard_calls},
    "project_sanitizers": {name: r.kind for r in RECIPES for name in r.project_sanitizers},
    "fix_helpers": _fix_helpers(),
    "quoted_kinds": frozenset(r.kind for r in RECIPES if r.quote_cleared_is_safe),
    "line_kinds": frozenset(r.kind for r in RECIPES if r.line_breaks_cleared_is_safe),
    "settings": _settings_pattern(),
    "splice_kinds": frozenset(r.kind for r in RECIPES if r.escapes_at_splice),
}

_ASSIGNED = re.compile(r"\b(\w++)['\"]?\]?[ \t]*+=(?!=)")  # `NAME =`, `["NAME"] =`, `name=` (a keyword)


def assigns_a_setting(text: str) -> bool:
    """Whether source text may assign one of those settings, or pass one as a keyword: the files and units
    worth walking for them. Each name before an `=` is matched on its own, which keeps the search linear
    where one pattern of names ending in `password`, `token`, `api_key`… would try them at every character."""
    return any(_is_setting(m.group(1)) for m in _ASSIGNED.finditer(text))


@functools.lru_cache(maxsize=4096)  # a code base repeats its names
def _is_setting(name: str) -> bool:
    settings = ANALYSIS_TABLES["settings"]
    return settings is not None and settings.fullmatch(name) is not None


__all__ = ["assigns_a_setting", "ANALYSIS_TABLES", "BY_RULE", "RECIPES", "SINK_NAMES", "Match", "ProofPlan", "Recipe", "judging"]
