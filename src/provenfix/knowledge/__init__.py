"""The explanation shown beside every fix, per rule: read from ``rules.toml`` shipped in the package."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from provenfix.model import Explanation, Severity

__all__ = ["RuleInfo", "UnknownRule", "all_rules", "load_rule"]


class UnknownRule(KeyError):
    """No entry in the knowledge base for this rule id."""


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    title: str
    cwe: int
    severity: Severity
    summary: str
    impact: str
    fix_rationale: str
    references: tuple[str, ...]

    def explanation(self) -> Explanation:
        """The rule's text as the Explanation a Candidate carries."""
        return Explanation(
            summary=self.summary,
            impact=self.impact,
            fix_rationale=self.fix_rationale,
            references=list(self.references),
        )


@cache
def _rules() -> dict[str, RuleInfo]:
    data = tomllib.loads(files(__package__).joinpath("rules.toml").read_text(encoding="utf-8"))
    return {
        rule_id: RuleInfo(
            id=rule_id,
            name=entry["name"],
            title=entry["title"],
            cwe=int(entry["cwe"]),
            severity=Severity(entry["severity"]),
            summary=entry["summary"],
            impact=entry["impact"],
            fix_rationale=entry["fix_rationale"],
            references=tuple(entry["references"]),
        )
        for rule_id, entry in data.items()
    }


def load_rule(rule_id: str) -> RuleInfo:
    try:
        return _rules()[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def all_rules() -> list[RuleInfo]:
    """Every rule, in the order of ``rules.toml``."""
    return list(_rules().values())
