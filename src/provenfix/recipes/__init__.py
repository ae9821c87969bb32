"""The built-in vulnerability classes: every `Recipe` subclass defined in a module of this package.

Adding a class is adding a module here, its table in `knowledge/rules.toml` and its cases in
`tests/cases/`; nothing else names it. The tables below are derived from what recipes declare.
"""

import ast
import importlib
import pkgutil

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
# Calls that neutralise some classes of sink only: call name → the recipes' taint kinds.
SANITIZERS: dict[str, frozenset[str]] = {
    name: frozenset(r.kind for r in RECIPES if name in r.sanitizers) for r in RECIPES for name in r.sanitizers}
SANITIZING_METHODS: dict[str, frozenset[str]] = {
    name: frozenset(r.kind for r in RECIPES if name in r.sanitizing_methods) for r in RECIPES for name in r.sanitizing_methods}
GUARD_CALLS: dict[str, str] = {name: r.kind for r in RECIPES for name in r.guard_calls}
# The functions fixes insert, by name: (their code's syntax tree, the kind they defend).
FIX_HELPERS: dict[str, tuple[str, str]] = {
    tree.name: (ast.dump(tree), r.kind) for r in RECIPES if r.helper_code
    for tree in [ast.parse(r.helper_code).body[0]] if isinstance(tree, ast.FunctionDef)}
QUOTED_KINDS: frozenset[str] = frozenset(r.kind for r in RECIPES if r.quote_cleared_is_safe)
SPLICE_KINDS: frozenset[str] = frozenset(r.kind for r in RECIPES if r.escapes_at_splice)
PROJECT_SANITIZERS: dict[str, str] = {name: r.kind for r in RECIPES for name in r.project_sanitizers}
SAFE_FIELDS: dict[str, frozenset[str]] = {
    name: frozenset(r.kind for r in RECIPES if name in r.safe_request_fields) for r in RECIPES for name in r.safe_request_fields}

__all__ = ["BY_RULE", "FIX_HELPERS", "GUARD_CALLS", "PROJECT_SANITIZERS", "QUOTED_KINDS", "RECIPES", "SAFE_FIELDS", "SANITIZERS", "SANITIZING_METHODS", "SINK_NAMES", "SPLICE_KINDS", "Match", "ProofPlan", "Recipe"]
