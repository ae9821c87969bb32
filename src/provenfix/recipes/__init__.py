"""The built-in vulnerability classes, one recipe each."""

from provenfix.recipes.base import Match, ProofPlan, Recipe
from provenfix.recipes.code_eval import CodeInjection
from provenfix.recipes.command import CommandInjection
from provenfix.recipes.deserialize import UnsafeDeserialization
from provenfix.recipes.path_traversal import PathTraversal
from provenfix.recipes.sql import SqlInjection
from provenfix.recipes.weak_random import WeakRandom
from provenfix.recipes.yaml_load import UnsafeYaml

RECIPES: tuple[Recipe, ...] = (CommandInjection(), SqlInjection(), UnsafeYaml(), CodeInjection(), PathTraversal(), WeakRandom(),
                               UnsafeDeserialization())
BY_RULE: dict[str, Recipe] = {r.rule_id: r for r in RECIPES}
SINK_NAMES: frozenset[str] = frozenset().union(*(r.call_names for r in RECIPES))

__all__ = ["BY_RULE", "RECIPES", "SINK_NAMES", "Match", "ProofPlan", "Recipe"]
