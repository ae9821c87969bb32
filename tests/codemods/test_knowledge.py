from __future__ import annotations

import pytest

from provenfix.knowledge import UnknownRule, all_rules, load_rule
from provenfix.model import Severity

# Spot checks of the table's contents; that every recipe has a table is tests/test_recipes.py's.
EXPECTED = {
    "PF-CMD": (78, Severity.CRITICAL),
    "PF-SQL": (89, Severity.CRITICAL),
    "PF-YAML": (502, Severity.HIGH),
    "PF-RAND": (330, Severity.MEDIUM),
}


def test_rules_carry_their_cwe_and_severity() -> None:
    rules = {rule.id: (rule.cwe, rule.severity) for rule in all_rules()}
    assert {rule_id: rules[rule_id] for rule_id in EXPECTED} == EXPECTED


@pytest.mark.parametrize("rule_id", sorted(rule.id for rule in all_rules()))
def test_rule_text_is_complete_and_references_are_specific(rule_id: str) -> None:
    rule = load_rule(rule_id)
    for text in (rule.name, rule.title, rule.summary, rule.impact, rule.fix_rationale):
        assert text.strip() and "  " not in text and "\\" not in text
    assert 2 <= rule.fix_rationale.count(". ") + 1 <= 5  # 2-4 sentences, give or take an abbreviation
    assert rule.references[0] == f"https://cwe.mitre.org/data/definitions/{rule.cwe}.html"
    assert any("owasp.org" in ref for ref in rule.references)
    assert any(ref.startswith(("https://docs.python.org/", "https://pyyaml.org/")) for ref in rule.references)
    explanation = rule.explanation()
    assert explanation.fix_rationale == rule.fix_rationale and explanation.references == list(rule.references)


def test_lookup_is_cached_and_unknown_rules_fail() -> None:
    assert load_rule("PF-SQL") is load_rule("PF-SQL")
    with pytest.raises(UnknownRule):
        load_rule("PF-NOPE")
