"""OWASP Benchmark for Python, scored the Benchmark way, ProvenFix and Bandit in one run.

A checkout of `github:OWASP-Benchmark/BenchmarkPython` labels each test case (one Flask route per
file, `testcode/BenchmarkTestNNNNN.py`) with a category, whether it is really vulnerable, and the
CWE. A tool *flags* a case when it reports, in that case's file, a finding whose CWE is the
category's. Per category: TPR = TP / (TP + FN), FPR = FP / (FP + TN), score = TPR − FPR; overall
figures are the mean over categories, as the Benchmark's scorecards compute them.
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from provenfix import api
from provenfix.bench.bandit import bandit_report
from provenfix.bench.cases import BenchError
from provenfix.knowledge import all_rules

EXPECTED = "expectedresults-0.1.csv"
# The CWEs that count for each category: the Benchmark's own, plus the one tools report for the
# same weakness (eval injection is CWE-95, a kind of CWE-94; predictable randomness CWE-338 of 330;
# a weak hash CWE-327 of 328). The same table applies to every tool.
EQUIVALENT_CWES = {94: {94, 95}, 330: {330, 338}, 328: {327, 328}}


@dataclass
class Score:
    tp: int = 0
    fn: int = 0
    tn: int = 0
    fp: int = 0

    @property
    def tpr(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    @property
    def score(self) -> float:
        return self.tpr - self.fpr

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fn": self.fn, "tn": self.tn, "fp": self.fp,
                "tpr": round(self.tpr, 4), "fpr": round(self.fpr, 4), "score": round(self.score, 4)}


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    vulnerable: bool
    cwe: int


@dataclass
class ToolRun:
    scores: dict[str, Score]
    seconds: float
    skipped: list[str] = field(default_factory=list)  # files the tool could not read

    def mean(self, categories: list[str]) -> Score | None:
        """The Benchmark's average: the mean of per-category rates (a Score of rates, not counts)."""
        rows = [self.scores[c] for c in categories if c in self.scores]
        return None if not rows else _Mean(rows)


class _Mean(Score):
    def __init__(self, rows: list[Score]) -> None:
        super().__init__(sum(r.tp for r in rows), sum(r.fn for r in rows), sum(r.tn for r in rows), sum(r.fp for r in rows))
        self._rows = rows

    @property
    def tpr(self) -> float:
        return sum(r.tpr for r in self._rows) / len(self._rows)

    @property
    def fpr(self) -> float:
        return sum(r.fpr for r in self._rows) / len(self._rows)


@dataclass
class OwaspResult:
    checkout: str
    cases: int
    claimed: list[str]  # categories ProvenFix has a rule for
    tools: dict[str, ToolRun]

    def to_dict(self) -> dict:
        out: dict = {"checkout": self.checkout, "cases": self.cases, "claimed": self.claimed, "tools": {}}
        for name, run in self.tools.items():
            categories = sorted(run.scores)
            out["tools"][name] = {
                "seconds": round(run.seconds, 2), "skipped": run.skipped,
                "categories": {c: run.scores[c].to_dict() for c in categories},
                "mean_all": run.mean(categories).to_dict(), "mean_claimed": run.mean(self.claimed).to_dict(),
            }
        return out


def load_cases(checkout: Path) -> list[Case]:
    path = checkout / EXPECTED
    if not path.is_file():
        raise BenchError(f"{checkout}: not a BenchmarkPython checkout (no {EXPECTED})")
    cases = []
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh):
            if not row or row[0].lstrip().startswith("#"):
                continue
            name, category, real, cwe = (cell.strip() for cell in row[:4])
            cases.append(Case(name, category, real.lower() == "true", int(cwe)))
    if not cases:
        raise BenchError(f"{path}: no test cases")
    return cases


def score(cases: list[Case], flagged: dict[str, set[int]]) -> dict[str, Score]:
    """Per category, from the CWEs each tool reported per test file (by file name without .py)."""
    scores: dict[str, Score] = {}
    for case in cases:
        s = scores.setdefault(case.category, Score())
        hit = bool(flagged.get(case.name, set()) & EQUIVALENT_CWES.get(case.cwe, {case.cwe}))
        if case.vulnerable:
            s.tp, s.fn = s.tp + hit, s.fn + (not hit)
        else:
            s.fp, s.tn = s.fp + hit, s.tn + (not hit)
    return scores


def claimed_categories(cases: list[Case]) -> list[str]:
    cwes = {rule.cwe for rule in all_rules()}
    return sorted({c.category for c in cases if EQUIVALENT_CWES.get(c.cwe, {c.cwe}) & cwes})


def run_owasp(checkout: Path) -> OwaspResult:
    checkout = checkout.resolve()
    cases = load_cases(checkout)
    files = sorted((checkout / "testcode").glob("BenchmarkTest*.py"))
    if not files:
        raise BenchError(f"{checkout}: no testcode/BenchmarkTest*.py files")
    started = time.perf_counter()
    report = api.scan([str(checkout)], use_cache=False)
    ours = ToolRun(score(cases, _flags((Path(f.location.path).stem, f.cwe) for f in report.findings if not f.suppressed)),
                   time.perf_counter() - started, [w for w in report.warnings if "skipped" in w])
    started = time.perf_counter()
    data = bandit_report(checkout, files, timeout_s=1800)
    bandit = ToolRun(score(cases, _flags((Path(r["filename"]).stem, int((r.get("issue_cwe") or {}).get("id", 0)))
                                         for r in data.get("results", []))),
                     time.perf_counter() - started, [f"{Path(e['filename']).name}: {e['reason']}" for e in data.get("errors", [])])
    return OwaspResult(str(checkout), len(cases), claimed_categories(cases), {"ProvenFix": ours, "Bandit": bandit})


def _flags(found) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for name, cwe in found:
        out.setdefault(name, set()).add(cwe)
    return out


def render_owasp(result: OwaspResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2) + "\n"
    tools = list(result.tools)
    categories = sorted({c for run in result.tools.values() for c in run.scores})
    head = "| category | claimed | " + " | ".join(f"{t} TPR | {t} FPR | {t} score" for t in tools) + " |"
    out = [f"OWASP Benchmark for Python at {result.checkout}: {result.cases} test cases", "", head,
           "|---|---|" + "---:|" * (3 * len(tools))]

    def cells(s: Score) -> str:
        return f"{s.tpr:.0%} | {s.fpr:.0%} | {round(s.score, 4) + 0.0:.0%}"  # + 0.0: no "-0%"

    for c in categories:
        out.append(f"| {c} | {'yes' if c in result.claimed else ''} | "
                   + " | ".join(cells(result.tools[t].scores.get(c, Score())) for t in tools) + " |")
    for label, which in (("mean, claimed", result.claimed), ("mean, all", categories)):
        out.append(f"| **{label}** | | " + " | ".join(cells(result.tools[t].mean(which)) for t in tools) + " |")
    out.append("")
    for name, run in result.tools.items():
        out.append(f"{name}: {run.seconds:.1f} s, {len(run.skipped)} file(s) skipped"
                   + (f" (e.g. {run.skipped[0]})" if run.skipped else ""))
    return "\n".join(out) + "\n"
