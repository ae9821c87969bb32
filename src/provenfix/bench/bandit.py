"""Detection side by side: ProvenFix's detector and the real Bandit, on the same files.

Bandit runs as its own process (``python -m bandit -f json``) on each case's project files,
its ``tests/`` folder left out. Its test ids are mapped to our rules with :data:`BANDIT_RULES`;
Bandit has no path-traversal test, so it can never flag PF-PATH.

Per class (rule) and tool:

* **recall** = vulnerable cases of the class the tool flagged *with that class in the entry file*
  / vulnerable cases of the class;
* **precision** = cases the tool flagged with that class anywhere in the project (tests excluded)
  that truly are of that class / all cases it flagged with that class. Safe look-alikes and
  cases of another class flagged with it count as false positives.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from provenfix import api
from provenfix.bench.cases import BenchError, Case
from provenfix.recipes import BY_RULE, RECIPES

# Bandit ids that mean the same as one of our rules are declared once, by the recipe (a `# nosec
# B602` silences PF-CMD too). B603 is added for detection only: Bandit's review-this-subprocess
# check, counted as a command-injection flag, but never on a line PF-CMD reports, so it is no
# suppression equivalent.
BANDIT_RULES: dict[str, str] = {
    test_id: r.rule_id for r in RECIPES for test_id in r.equivalent_ids if test_id.startswith("B")
} | {"B603": "PF-CMD"}
RULES: tuple[str, ...] = tuple(BY_RULE)  # the built-in classes, in the recipes' order
TOOLS: tuple[str, ...] = ("provenfix", "bandit")


@dataclass(frozen=True)
class Flag:
    """One detector hit, reduced to what the comparison needs."""

    rule: str
    path: str  # POSIX, relative to the project
    line: int
    source_id: str  # our rule id, or the Bandit test id


@dataclass(frozen=True)
class DetectionRow:
    rule: str
    tool: str
    vulnerable_cases: int
    detected: int  # vulnerable cases of this class flagged with it in the entry file
    flagged_cases: int  # cases flagged with this class anywhere
    true_flagged: int  # of those, cases truly of this class

    @property
    def recall(self) -> float | None:
        return self.detected / self.vulnerable_cases if self.vulnerable_cases else None

    @property
    def precision(self) -> float | None:
        return self.true_flagged / self.flagged_cases if self.flagged_cases else None

    def to_dict(self) -> dict:
        return {**self.__dict__, "recall": self.recall, "precision": self.precision}


def _is_test_path(rel: Path) -> bool:
    return "tests" in rel.parts[:-1] or rel.name.startswith("test_") or rel.name == "conftest.py"


def project_files(project: Path) -> list[Path]:
    """The project's Python files, test code left out (the same files for both tools)."""
    return sorted(p for p in project.rglob("*.py")
                  if not _is_test_path(p.relative_to(project))
                  and not any(part.startswith(".") or part in ("venv", "build", "dist")
                              for part in p.relative_to(project).parts))


def bandit_report(project: Path, files: Sequence[Path], *, timeout_s: float = 120) -> dict:
    """Bandit's JSON report on `files` (run as its own process, from `project`)."""
    argv = [sys.executable, "-m", "bandit", "-q", "-f", "json", *(str(p) for p in files)]
    try:
        done = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=timeout_s, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BenchError(f"bandit could not run: {exc}") from exc
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        raise BenchError(f"bandit gave no JSON report (exit {done.returncode}): {tail[0]}") from exc


def run_bandit(project: Path, *, timeout_s: float = 120) -> list[Flag]:
    """Bandit's mapped findings on the project's non-test files (unmapped test ids are dropped)."""
    project = project.resolve()
    files = project_files(project)
    if not files:
        return []
    data = bandit_report(project, files, timeout_s=timeout_s)
    if data.get("errors"):
        raise BenchError(f"bandit reported errors: {data['errors'][0]}")
    flags = []
    for item in data.get("results", []):
        rule = BANDIT_RULES.get(item.get("test_id", ""))
        if rule:
            rel = Path(item["filename"]).resolve().relative_to(project).as_posix()
            flags.append(Flag(rule, rel, int(item.get("line_number", 0)), item["test_id"]))
    return flags


def run_provenfix_scan(project: Path) -> list[Flag]:
    """ProvenFix's detector (``api.scan``), test code and suppressed findings left out."""
    report = api.scan([str(project)])
    return [Flag(f.rule_id, f.location.path, f.location.start_line, f.rule_id)
            for f in report.findings
            if not f.suppressed and not _is_test_path(Path(f.location.path))]


def detection_rows(cases: Sequence[Case], flags: dict[str, dict[str, list[Flag]]],
                   rules: Iterable[str] = RULES) -> list[DetectionRow]:
    """Recall and precision per class and tool from ``flags[tool][case_id]``."""
    rows = []
    for rule in rules:
        ours = [c for c in cases if c.vulnerable and c.rule == rule]
        for tool, per_case in flags.items():
            detected = sum(any(f.rule == rule and f.path == c.entry_path for f in per_case.get(c.id, []))
                           for c in ours)
            flagged = [c for c in cases if any(f.rule == rule for f in per_case.get(c.id, []))]
            true = sum(c.vulnerable and c.rule == rule for c in flagged)
            rows.append(DetectionRow(rule, tool, len(ours), detected, len(flagged), true))
    return rows


def compare_detection(cases: Sequence[Case]) -> list[DetectionRow]:
    """Run both detectors on every case's project (read-only) and compare them per class."""
    flags: dict[str, dict[str, list[Flag]]] = {tool: {} for tool in TOOLS}
    for case in cases:
        flags["provenfix"][case.id] = run_provenfix_scan(case.project)
        flags["bandit"][case.id] = run_bandit(case.project)
    return detection_rows(cases, flags)
