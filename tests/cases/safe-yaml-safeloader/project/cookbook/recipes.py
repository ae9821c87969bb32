"""Recipes are uploaded as small YAML documents."""

import yaml


def parse_recipe(text: str) -> dict:
    """Parse one recipe document and check the required keys."""
    recipe = yaml.load(text, Loader=yaml.SafeLoader)
    if not isinstance(recipe, dict) or "title" not in recipe:
        raise ValueError("a recipe needs a title")
    recipe.setdefault("ingredients", [])
    return recipe


def shopping_list(texts: list[str]) -> list[str]:
    """All ingredients of several recipes, deduplicated, sorted."""
    items = set()
    for text in texts:
        items.update(parse_recipe(text)["ingredients"])
    return sorted(items)
