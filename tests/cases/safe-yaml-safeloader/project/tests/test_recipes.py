import pytest
import yaml

from cookbook.recipes import parse_recipe, shopping_list

PANCAKES = "title: Pancakes\ningredients: [flour, milk, eggs]\n"
OMELETTE = "title: Omelette\ningredients: [eggs, salt]\n"


def test_parse_recipe():
    assert parse_recipe(PANCAKES) == {"title": "Pancakes", "ingredients": ["flour", "milk", "eggs"]}


def test_missing_title():
    with pytest.raises(ValueError):
        parse_recipe("ingredients: [water]\n")


def test_shopping_list():
    assert shopping_list([PANCAKES, OMELETTE]) == ["eggs", "flour", "milk", "salt"]


def test_python_tags_are_rejected():
    with pytest.raises(yaml.YAMLError):
        parse_recipe("title: !!python/object/apply:os.getcwd []\n")
