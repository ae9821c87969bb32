"""The built-in vulnerability classes: every `Recipe` subclass defined in a module of this package.

Adding a class is adding a module here, its table in `knowledge/rules.toml` and its cases in
`tests/cases/`; nothing else names it. The tables below are derived from what recipes declare.
"""

import ast
import importlib
import pkgutil
import re

from provenfix.recipes.base import Match, ProofPlan, Recipe


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
    """The module-level names whose assignments some recipe judges: named, or matching a recipe's pattern."""
    names = sorted({re.escape(n) for r in RECIPES for n in r.settings} | {r.setting_pattern for r in RECIPES if r.setting_pattern})
    return re.compile("|".join(names)) if names else None


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

__all__ = ["ANALYSIS_TABLES", "BY_RULE", "RECIPES", "SINK_NAMES", "Match", "ProofPlan", "Recipe"]
