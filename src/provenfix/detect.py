"""Detection: run every recipe's detector over the analysed project and turn matches into Findings."""

from __future__ import annotations

import gc
import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from provenfix.flow import ProjectIndex, analyse
from provenfix.knowledge import load_rule
from provenfix.model import Finding, FlowStep, Location
from provenfix.recipes import RECIPES, SINK_NAMES, Match, Recipe
from provenfix.recipes.base import entry_for
from provenfix.suppress import suppression_for
from provenfix.workspace import SourceFile


@dataclass
class Detected:
    finding: Finding
    match: Match
    recipe: Recipe


@dataclass
class Detection:
    index: ProjectIndex
    items: list[Detected]

    @property
    def findings(self) -> list[Finding]:
        return [d.finding for d in self.items]


def detect(files: list[SourceFile], only: set[str] | None = None, warnings: list[str] | None = None) -> Detection:
    """Analyse the whole project (helpers are followed across modules); report sinks in `only` paths."""
    # Syntax trees are millions of small objects: the cyclic collector would rescan them again
    # and again while they are built and walked (measured: 2-3x the time of parsing itself).
    collecting = gc.isenabled()
    gc.disable()
    try:
        index = ProjectIndex(files, warnings if warnings is not None else [])
        analysis = analyse(index, SINK_NAMES)
        items: list[Detected] = []
        seen: Counter[str] = Counter()
        for site in analysis.sites():
            if only is not None and site.module.path not in only:
                continue
            for recipe in RECIPES:
                match = recipe.detect(site, analysis)
                if match is not None:
                    items.append(Detected(_finding(recipe, match, index, seen), match, recipe))
    finally:
        if collecting:
            gc.enable()
    return Detection(index, items)


def _finding(recipe: Recipe, match: Match, index: ProjectIndex, seen: Counter[str]) -> Finding:
    site = match.site
    node = site.node
    module = site.module
    rule = load_rule(recipe.rule_id)
    qualname = site.function.qualname if site.function else None
    lines = module.lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
    normalised = re.sub(r"\s+", " ", " ".join(lines)).strip()
    key = f"{recipe.rule_id}|{module.path}|{qualname}|{normalised}"
    seen[key] += 1
    fingerprint = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()[:16]
    sink = FlowStep(kind="sink", path=module.path, line=node.lineno, description=f"reaches `{(site.name or '?').removeprefix('builtins.')}()`")
    location = Location(
        path=module.path,
        start_line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        start_col=_char_col(module.lines, node.lineno, node.col_offset),
        end_col=_char_col(module.lines, node.end_lineno or node.lineno, node.end_col_offset or 0),
        qualname=qualname,
    )
    finding = Finding(
        id=fingerprint,
        rule_id=recipe.rule_id,
        cwe=rule.cwe,
        severity=rule.severity,
        confidence=_confidence(match),
        location=location,
        message=match.message,
        evidence=[*(FlowStep(**step._asdict()) for step in match.value.steps), sink],
        entry=entry_for(match, index),
        suppressed=suppression_for(recipe.rule_id, module.lines, node.lineno, node.end_lineno or node.lineno),
    )
    return finding


def _char_col(lines: list[str], line: int, byte_col: int) -> int:
    """ast columns count UTF-8 bytes; reports and editors count characters."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _confidence(match: Match) -> str:
    """Data from a request, argv, stdin or the environment is attacker-controlled for sure; a parameter
    only may be, depending on the callers: one notch lower, so triage starts with the certain ones."""
    if match.confidence == "high" and match.origins and all(o.source.kind == "param" for o in match.origins):
        return "medium"
    return match.confidence
