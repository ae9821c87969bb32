"""Detection: run every recipe's detector over the analysed project and turn matches into Findings."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import re
import threading
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


# Below this much source, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 512 * 1024
SHARES_PER_JOB = 2


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def processes_for(files: list[SourceFile], jobs: int | None) -> int:
    """How many processes a scan of `files` uses: 1 means in this process."""
    jobs = min(jobs or available_cores(), len(files))
    # Forking a process that runs other threads can copy a lock held mid-operation: stay in one process.
    if jobs <= 1 or sum(len(f.text) for f in files) < PARALLEL_MIN_BYTES or threading.active_count() > 1:
        return 1
    return jobs


def find(files: list[SourceFile], only: set[str] | None, warnings: list[str], jobs: int | None = None) -> list[Finding]:
    """The findings alone, computed by up to `jobs` processes (default: every core).

    Each worker takes a contiguous run of files (neighbours share helpers, so few are parsed
    twice), parses and analyses it, following helpers into the rest of the project as needed.
    Workers are forked after the files are read, so only paths go out and findings come back.
    Fingerprints count occurrences within one file, and a file belongs to one worker, so the
    result is the same as one process's, in the same order."""
    jobs = processes_for(files, jobs)
    if jobs == 1:
        return detect(files, only, warnings).findings
    global _FORKED
    _FORKED = (files, only)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_find_in, _contiguous_shares(files, jobs * SHARES_PER_JOB), chunksize=1)
    finally:
        _FORKED = None
    findings: list[Finding] = []
    for found, notes in results:
        findings += found
        warnings += [n for n in notes if n not in warnings]  # a broken helper is met by several workers
    return sorted(findings, key=lambda f: f.location.path)  # stable: each file's own order is kept


_FORKED: tuple[list[SourceFile], set[str] | None] | None = None  # what forked workers inherit


def _find_in(paths: list[str]) -> tuple[list[Finding], list[str]]:
    assert _FORKED is not None, "a scan worker must be forked by find()"
    files, only = _FORKED
    notes: list[str] = []
    return detect(files, only, notes, roots=paths).findings, notes


def _contiguous_shares(files: list[SourceFile], n: int) -> list[list[str]]:
    """`n` runs of consecutive files of about equal size."""
    total = sum(len(f.text) for f in files)
    shares: list[list[str]] = [[] for _ in range(n)]
    done = 0
    for f in files:
        shares[min(n - 1, done * n // max(total, 1))].append(f.path)
        done += len(f.text)
    return [s for s in shares if s]


def detect(files: list[SourceFile], only: set[str] | None = None, warnings: list[str] | None = None,
           roots: list[str] | None = None) -> Detection:
    """Analyse the project's `roots` (default: every file), following helpers across modules;
    report sinks in `only` paths."""
    # Syntax trees are millions of small objects: the cyclic collector would rescan them again
    # and again while they are built and walked (measured: 2-3x the time of parsing itself).
    collecting = gc.isenabled()
    gc.disable()
    try:
        index = ProjectIndex(files, warnings if warnings is not None else [])
        analysis = analyse(index, SINK_NAMES, roots)
        items: list[Detected] = []
        seen: Counter[str] = Counter()
        mine = None if roots is None else set(roots)  # helpers walked for a root may lie in another's share
        for site in analysis.sites():
            if (only is not None and site.module.path not in only) or (mine is not None and site.module.path not in mine):
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
