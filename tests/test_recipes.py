"""A class is one module: every recipe is found, explained, tested by cases, and declares what is its own."""

from __future__ import annotations

import pkgutil
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

import provenfix.recipes as recipes_package
from provenfix.detect import WITHOUT_INPUT_FILES
from provenfix.knowledge import all_rules
from provenfix.recipes import ANALYSIS_TABLES, BY_RULE, RECIPES, Recipe
from provenfix.suppress import suppression_for

CASES = Path(__file__).parent / "cases"
HELPERS = {"base", "proof"}  # the package's modules that are not classes


def _case_counts() -> tuple[Counter[str], Counter[str]]:
    vulnerable, safe = Counter(), Counter()
    for meta_path in CASES.glob("*/case.toml"):
        meta = tomllib.loads(meta_path.read_text())
        (safe if meta["expect"] == "safe" else vulnerable)[meta["rule"]] += 1
    return vulnerable, safe


def test_every_module_of_the_package_is_one_discovered_recipe() -> None:
    modules = {info.name for info in pkgutil.iter_modules(recipes_package.__path__)} - HELPERS
    assert sorted(type(r).__module__.rsplit(".", 1)[-1] for r in RECIPES) == sorted(modules)
    assert len(BY_RULE) == len(RECIPES), "two recipes share a rule id"
    assert all(isinstance(r, Recipe) for r in RECIPES)


def test_every_recipe_has_a_knowledge_entry_and_every_entry_a_recipe() -> None:
    assert {rule.id for rule in all_rules()} == set(BY_RULE)


@pytest.mark.parametrize("rule_id", sorted(BY_RULE))
def test_every_recipe_has_four_vulnerable_cases_and_a_safe_look_alike(rule_id: str) -> None:
    vulnerable, safe = _case_counts()
    assert vulnerable[rule_id] >= 4, f"{rule_id}: {vulnerable[rule_id]} vulnerable cases"
    assert safe[rule_id] >= 1, f"{rule_id}: no safe look-alike"


def test_no_case_names_a_class_that_does_not_exist() -> None:
    vulnerable, safe = _case_counts()
    assert set(vulnerable) | set(safe) <= set(BY_RULE)


@pytest.mark.parametrize("rule_id", sorted(BY_RULE))
def test_what_a_recipe_declares_is_well_formed(rule_id: str) -> None:
    recipe = BY_RULE[rule_id]
    assert re.fullmatch(r"PF-[A-Z]+", recipe.rule_id) and recipe.kind and recipe.call_names
    assert all(re.fullmatch(r"[BS]\d{3}", i) for i in recipe.equivalent_ids), recipe.equivalent_ids
    assert all(re.fullmatch(r"[\w.]+\.\w+", name) for name in recipe.sanitizers)
    assert recipe.harness in ("", "sql")


def test_a_sanitizer_counts_for_the_classes_that_declare_it() -> None:
    sanitizers = ANALYSIS_TABLES["sanitizers"]
    assert sanitizers["shlex.quote"] == {BY_RULE["PF-CMD"].kind}
    assert sanitizers["flask.url_for"] == {BY_RULE["PF-REDIRECT"].kind, BY_RULE["PF-XSS"].kind}


@pytest.mark.parametrize("recipe", [r for r in RECIPES if r.equivalent_ids], ids=lambda r: r.rule_id)
def test_a_declared_bandit_id_silences_the_class(recipe: Recipe) -> None:
    bandit = sorted(i for i in recipe.equivalent_ids if i.startswith("B"))[0]
    assert suppression_for(recipe.rule_id, recipe.equivalent_ids, [f"x()  # nosec {bandit}"], 1, 1)
    assert suppression_for(recipe.rule_id, recipe.equivalent_ids, ["x()  # nosec B999"], 1, 1) is None


def test_findings_without_input_come_from_the_declared_modules() -> None:
    assert BY_RULE["PF-RAND"].without_input == {"random"}
    assert WITHOUT_INPUT_FILES.search("from random import choice") and not WITHOUT_INPUT_FILES.search("import randomness")


@pytest.mark.parametrize(("text", "sets"), [
    ("DEBUG = True", True), ('app.config["SECRET_KEY"] = "x"', True), ("API_KEY='x'", True),
    ('smtp.login(user, password="x")', True), ("clientSecret = 'x'", True),
    ("sort_key = 1", False), ("if DEBUG == True:", False), ("tokens = []", False), ("DEBUGGING = 1", False),
])
def test_the_text_that_sets_a_setting_is_told_name_by_name(text: str, sets: bool) -> None:
    from provenfix.recipes import assigns_a_setting

    assert assigns_a_setting(text) is sets


def test_a_detector_that_raises_costs_its_call_not_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug in one class's detector, met on some real code, must not lose the other classes' findings."""
    from provenfix.detect import detect
    from provenfix.workspace import SourceFile

    def broken(site, analysis):
        raise AttributeError("'NoneType' object has no attribute 'value'")

    monkeypatch.setattr(BY_RULE["PF-RAND"], "detect", broken)
    code = ("import os\nimport random\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
            "def reset_token():\n    return str(random.random())\n\n\n"
            "@app.route('/du')\ndef du():\n    return str(os.system('du ' + request.args['p']))\n")
    warnings: list[str] = []
    found = detect([SourceFile("pkg/tools.py", code)], warnings=warnings).findings
    assert [f.rule_id for f in found] == ["PF-CMD"]
    assert any("internal error in PF-RAND's detector (AttributeError" in w for w in warnings), warnings


def test_asking_only_the_recipes_a_call_names_loses_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """`detect` asks a call's recipes by the callee's name (`recipes.judging`); asking every recipe about
    every call must find nothing more, on every case of the corpus."""
    import provenfix.detect as detection
    from provenfix.workspace import SourceFile

    def everything(projects: list[Path]) -> list[tuple]:
        found = []
        for project in projects:
            files = [SourceFile(p.relative_to(project).as_posix(), p.read_text()) for p in sorted(project.rglob("*.py"))]
            found += [(project.parent.name, f.rule_id, f.location.path, f.location.start_line)
                      for f in detection.detect(files).findings]
        return found

    projects = sorted(p / "project" for p in CASES.iterdir() if (p / "case.toml").exists())
    asked = everything(projects)
    monkeypatch.setattr(detection, "judging", lambda name, func: RECIPES)
    assert everything(projects) == asked and len(asked) > 100  # the web cases and those without input
