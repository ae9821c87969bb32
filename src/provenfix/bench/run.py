"""Run a suite of cases through the real pipeline and measure each fix.

Per case, on a throw-away copy of its project: ``api.fix(apply=True)``; then the case's hidden
exploit tests are copied into ``project/tests/`` and run on the patched code (passing = the
exploit is blocked), and the project's own suite is run after the apply (passing = kept).
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from provenfix import api
from provenfix.bench.cases import BenchError, Case, load_suite
from provenfix.errors import ProvenFixError
from provenfix.llm.configure import ModelOptions
from provenfix.model import Finding, Status
from provenfix.verify.sandbox import copy_project, run_pytest, scratch_dir

Progress = Callable[[str], None]
BUILTIN = "builtin"


@dataclass(frozen=True)
class CaseResult:
    """What one engine did on one case. ``None`` means "does not apply" (e.g. a safe case has no exploit)."""

    case_id: str
    rule: str
    expect: str
    engine: str
    detected: bool  # a finding with the case's rule in the entry file
    fix_produced: bool  # the engine proposed a candidate for it
    verified: bool  # every such finding's fix was verified by the sandbox
    exploit_blocked: bool | None  # hidden exploit tests pass on the patched code
    tests_kept: bool | None  # the project's own suite passes after the apply
    false_verified: bool  # verified, yet the hidden exploit still works
    false_positives: int  # safe cases: findings reported at all
    seconds: float
    note: str = ""
    tokens: int = 0  # model tokens, in and out
    cost_usd: float | None = 0.0  # None: a model whose price is unknown

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Contestant:
    """One column of the comparison: an engine, and the model it uses if any."""

    engine: str
    model: str | None = None

    @property
    def label(self) -> str:
        return self.engine if self.model is None else f"{self.engine} {self.model}"


def contestants(engines: Sequence[str], models: Sequence[str]) -> list[Contestant]:
    """Each engine once; an engine that uses a model once per model, each model on its own (no fallback)."""
    out: list[Contestant] = []
    for engine in dict.fromkeys(engines or [BUILTIN]):
        if engine == BUILTIN:
            out.append(Contestant(BUILTIN))
        elif not models:
            raise BenchError(f"--engine {engine} needs at least one --model")
        else:
            out += [Contestant(engine, m) for m in dict.fromkeys(models)]
    return out


@dataclass(frozen=True)
class ClassSummary:
    """Counts for one vulnerability class (rule) and engine; ``rule == "all"`` for the whole suite."""

    rule: str
    engine: str
    cases: int
    detected: int
    fix_produced: int
    verified: int
    exploit_blocked: int
    tests_kept: int
    false_verified: int
    safe_cases: int
    false_positives: int
    seconds: float
    tokens: int = 0
    cost_usd: float | None = 0.0

    @property
    def verified_pct(self) -> float | None:
        return 100.0 * self.verified / self.cases if self.cases else None

    def to_dict(self) -> dict:
        return {**self.__dict__, "verified_pct": self.verified_pct}


@dataclass(frozen=True)
class BenchResult:
    suite: str
    cases: list[CaseResult]
    detection: list = field(default_factory=list)  # list[bandit.DetectionRow]
    seconds: float = 0.0

    @property
    def engines(self) -> list[str]:
        return sorted({c.engine for c in self.cases})

    def summaries(self) -> list[ClassSummary]:
        """One row per (rule, engine), then one ``all`` row per engine."""
        rows: list[ClassSummary] = []
        for engine in self.engines:
            mine = [c for c in self.cases if c.engine == engine]
            rules = sorted({c.rule for c in mine if c.rule})
            for rule in rules:
                rows.append(_summarise(rule, engine, [c for c in mine if c.rule == rule]))
            rows.append(_summarise("all", engine, mine))
        return rows

    @property
    def false_verified(self) -> int:
        return sum(c.false_verified for c in self.cases)


def _summarise(rule: str, engine: str, results: Sequence[CaseResult]) -> ClassSummary:
    vuln = [c for c in results if c.expect != "safe"]
    safe = [c for c in results if c.expect == "safe"]
    return ClassSummary(
        rule=rule,
        engine=engine,
        cases=len(vuln),
        detected=sum(c.detected for c in vuln),
        fix_produced=sum(c.fix_produced for c in vuln),
        verified=sum(c.verified for c in vuln),
        exploit_blocked=sum(bool(c.exploit_blocked) for c in vuln),
        tests_kept=sum(bool(c.tests_kept) for c in vuln),
        false_verified=sum(c.false_verified for c in vuln),
        safe_cases=len(safe),
        false_positives=sum(c.false_positives for c in safe),
        seconds=round(sum(c.seconds for c in results), 2),
        tokens=sum(c.tokens for c in results),
        cost_usd=None if any(c.cost_usd is None for c in results) else round(sum(c.cost_usd or 0 for c in results), 6),
    )


def run_case(case: Case, *, jobs: int = 2, contestant: Contestant = Contestant(BUILTIN)) -> CaseResult:
    """Measure one case on a throw-away copy of its project."""
    started = time.monotonic()
    engine = contestant.label
    models = ModelOptions(models=[contestant.model]) if contestant.model else None
    with scratch_dir("provenfix-bench-") as tmp:
        project = tmp / "project"
        copy_project(case.project, project)
        try:
            report = api.fix([str(project)], apply=True, jobs=jobs, engine=contestant.engine, models=models)
        except ProvenFixError as exc:  # one broken case must not sink the suite: record it
            return CaseResult(case.id, case.rule, case.expect, engine, detected=False, fix_produced=False,
                              verified=False, exploit_blocked=False if case.vulnerable else None,
                              tests_kept=None, false_verified=False, false_positives=0,
                              seconds=round(time.monotonic() - started, 2), note=f"error: {exc}")
        spent = report.models
        tokens = spent.input_tokens + spent.output_tokens if spent else 0
        cost = spent.cost_usd if spent else 0.0
        if not case.vulnerable:
            return CaseResult(case.id, case.rule, case.expect, engine, detected=False, fix_produced=False,
                              verified=False, exploit_blocked=None, tests_kept=None, false_verified=False,
                              false_positives=len(report.findings), seconds=round(time.monotonic() - started, 2),
                              tokens=tokens, cost_usd=cost)
        ours = [f for f in report.fixes if _is_the_case(f.finding, case)]
        detected = any(_is_the_case(f, case) for f in report.findings)
        produced = any(f.candidate is not None for f in ours)
        verified = bool(ours) and all(f.status is Status.VERIFIED for f in ours)
        note = "; ".join(sorted({f.reason for f in ours if f.reason}))[:300]
        # What the applied fixes read from their deployment (a credential moved out of the source) is set, as deployed.
        deployed = {name: "deployed-test-value" for f in report.fixes if f.candidate for name in f.candidate.environment}
        own = run_pytest(project, [], python=sys.executable, extra_env=deployed)
        (project / "tests").mkdir(exist_ok=True)
        names = []
        for test in case.hidden_tests:
            shutil.copy(test, project / "tests" / test.name)
            names.append(f"tests/{test.name}")
        hidden = run_pytest(project, names, python=sys.executable, extra_env=deployed)
    blocked = hidden.outcome == "passed"
    return CaseResult(
        case.id, case.rule, case.expect, engine,
        detected=detected,
        fix_produced=produced,
        verified=verified,
        exploit_blocked=blocked,
        tests_kept=own.outcome in ("passed", "no-tests"),
        false_verified=verified and not blocked,
        false_positives=0,
        seconds=round(time.monotonic() - started, 2),
        note=note,
        tokens=tokens,
        cost_usd=cost,
    )


def _is_the_case(finding: Finding, case: Case) -> bool:
    """The case's bug: its rule in its entry file; a model names no rule of ours, so its CWE decides."""
    return finding.location.path == case.entry_path and (finding.rule_id == case.rule or finding.cwe == case.cwe)


def run_suite(suite_dir: Path, *, jobs: int = 2, progress: Progress = lambda _: None,
              detection: bool = True, contestants: Sequence[Contestant] = (Contestant(BUILTIN),)) -> BenchResult:
    """Every case of ``suite_dir`` through each engine; with ``detection``, ProvenFix vs Bandit detection too."""
    started = time.monotonic()
    cases = load_suite(suite_dir)
    results: list[CaseResult] = []
    for i, case in enumerate(cases, 1):
        for contestant in contestants:
            progress(f"[{i}/{len(cases)}] {case.id} ({contestant.label})")
            results.append(run_case(case, jobs=jobs, contestant=contestant))
    rows: list = []
    if detection:
        from provenfix.bench.bandit import compare_detection

        progress("detection: ProvenFix scan vs Bandit")
        rows = compare_detection(cases)
    return BenchResult(suite=str(suite_dir), cases=results, detection=rows,
                       seconds=round(time.monotonic() - started, 2))
