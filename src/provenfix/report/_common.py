"""Facts every human-readable format shows the same way: entries, evidence lines, summary.

Kept in one place so text, Markdown and HTML never disagree about what was proven.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from provenfix.model import BehaviourCheck, Evidence, Finding, Fix, FlowStep, ModelUse, Report, RunResult, Severity, Status

_SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)

_OUTCOME_WORDS: dict[str, str] = {
    "passed": "PASSED",
    "failed-assertion": "FAILED",
    "failed-error": "ERRORED",
    "timeout": "TIMED OUT",
    "killed": "KILLED",
    "no-tests": "RAN NO TESTS",
}

_OUTCOME_DETAIL: dict[str, str] = {
    "failed-assertion": " (AssertionError)",
    "failed-error": " (error, not an assertion)",
}


@dataclass(frozen=True)
class Entry:
    """One finding and, in a fix run, what became of it."""

    finding: Finding
    fix: Fix | None

    @property
    def status(self) -> Status | None:
        return self.fix.status if self.fix else None


def entries(report: Report) -> list[Entry]:
    """Findings in report order, each paired with its fix.

    A fix whose finding is missing from `report.findings` still gets an entry, so
    nothing the verifier judged is silently dropped.
    """
    fixes = {fix.finding.id: fix for fix in report.fixes}
    result = [Entry(f, fixes.pop(f.id, None)) for f in report.findings]
    result.extend(Entry(fix.finding, fix) for fix in fixes.values())
    return result


def is_fix_run(report: Report) -> bool:
    return report.command == "fix" or bool(report.fixes)


def open_entries(report: Report) -> list[Entry]:
    return [e for e in entries(report) if not e.finding.suppressed]


def suppressed_entries(report: Report) -> list[Entry]:
    return [e for e in entries(report) if e.finding.suppressed]


def effective_status(entry: Entry) -> Status:
    """In a fix run, a finding no engine attempted counts as unfixed."""
    return entry.status or Status.UNFIXED


def location_text(finding: Finding) -> str:
    loc = finding.location
    where = f"{loc.path}:{loc.start_line}"
    return f"{where} ({loc.qualname})" if loc.qualname else where


def flow_chain(finding: Finding) -> str:
    """Evidence steps as `source → step → sink`; empty when the detector gave none."""
    return " → ".join(_step_text(step, finding.location.path) for step in finding.evidence)


def _step_text(step: FlowStep, finding_path: str) -> str:
    where = f"line {step.line}" if step.path == finding_path else f"{step.path}:{step.line}"
    return f"{step.description} ({where})"


def evidence_lines(evidence: Evidence) -> list[str]:
    """The verifier's measurements, one short line each; unmeasured isolation/duration left out."""
    lines = [_proof_line(evidence.proof_before, evidence.proof_after), _suite_line(evidence), _rescan_line(evidence)]
    if evidence.behaviour is not None:
        lines.append(_behaviour_line(evidence.behaviour))
    if evidence.environment:  # the deployment must now provide these: the user has to know before applying
        lines.append(f"needs in the environment: {', '.join(evidence.environment)} (runs had generated test values)")
    if evidence.isolation:
        lines.append(f"isolation: {evidence.isolation}")
    if evidence.duration_s:
        lines.append(f"duration: {evidence.duration_s:.1f}s")
    if evidence.model is not None:
        lines += _model_lines(evidence.model)
    return lines


def _behaviour_line(check: BehaviourCheck) -> str:
    if check.same is None:
        return f"behaviour: {check.unavailable or 'not compared'}"
    word = "kept" if check.same else "changed"
    return f"behaviour {word} on {_plural(len(check.inputs), 'benign input')}: {', '.join(check.inputs)}"


def _model_lines(use: ModelUse) -> list[str]:
    """Which model wrote the candidate, after how many tries, at what cost; who failed before it."""
    lines = [f"written by model {use.model} ({_plural(use.attempts, 'attempt')}, {_usage_text(use.input_tokens, use.output_tokens, use.cost_usd)})"]
    lines += [f"model {f.model} failed first: {f.kind} ({f.detail})" for f in use.failed]
    return lines


def _usage_text(tokens_in: int, tokens_out: int, cost: float | None) -> str:
    money = "price unknown" if cost is None else f"${cost:.4f}"
    return f"{tokens_in:,} tokens in, {tokens_out:,} out, {money}"


def _proof_line(before: RunResult | None, after: RunResult | None) -> str:
    return f"proof test: {_run_phrase(before, 'original')} → {_run_phrase(after, 'patched')}"


def _run_phrase(run: RunResult | None, where: str) -> str:
    if run is None:
        return f"not run on {where}"
    word = _OUTCOME_WORDS.get(run.outcome, run.outcome.upper())
    return f"{word} on {where}{_OUTCOME_DETAIL.get(run.outcome, '')}"


def outcome_text(run: RunResult) -> str:
    """A run's outcome as the proof line words it: `FAILED (AssertionError)`, `PASSED`."""
    return _OUTCOME_WORDS.get(run.outcome, run.outcome.upper()) + _OUTCOME_DETAIL.get(run.outcome, "")


def _suite_line(evidence: Evidence) -> str:
    before, after = evidence.suite_before, evidence.suite_after
    if before is None and after is None:
        return "suite: not run"
    broken = len(evidence.broken_tests)
    line = f"suite: {_suite_count(before)} before, {_suite_count(after, short=True)} after, {broken} broken"
    if evidence.broken_tests:
        line += f" ({', '.join(evidence.broken_tests)})"
    return line


def _suite_count(run: RunResult | None, *, short: bool = False) -> str:
    if run is None:
        return "not run"
    if run.tests:
        passed = sum(1 for outcome in run.tests.values() if outcome == "passed")
        return str(passed) if short else f"{passed} passed"
    # Without per-test results only the overall outcome is known.
    return run.outcome


def _rescan_line(evidence: Evidence) -> str:
    if evidence.rescan_clean is None:
        return "re-scan: not run"
    if evidence.rescan_clean:
        return "re-scan: clean"
    if evidence.rescan_new_findings:
        return f"re-scan: not clean (new: {', '.join(evidence.rescan_new_findings)})"
    return "re-scan: not clean"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary_line(report: Report) -> str:
    """`N findings: V verified, R rejected, U unfixed` for a fix run, severities for a scan.

    Suppressed findings are mentioned but never counted as open.
    """
    open_ = open_entries(report)
    head = _plural(len(open_), "finding")
    if is_fix_run(report):
        counts = Counter(effective_status(e) for e in open_)
        line = f"{head}: " + ", ".join(f"{counts[s]} {s.value}" for s in Status)
    else:
        counts_sev = Counter(e.finding.severity for e in open_)
        parts = [f"{counts_sev[s]} {s.value}" for s in _SEVERITY_ORDER if counts_sev[s]]
        line = f"{head} ({', '.join(parts)})" if parts else head
    suppressed = len(suppressed_entries(report))
    if suppressed:
        line += f"; {suppressed} suppressed"
    if report.models is not None:
        m = report.models
        line += f"; models {' → '.join(m.chain)}: {_plural(m.requests, 'request')}, {_usage_text(m.input_tokens, m.output_tokens, m.cost_usd)}"
    return line


def status_label(entry: Entry, *, fix_run: bool) -> str:
    """What a table shows in its status column: open in a scan, the verdict in a fix run."""
    if entry.finding.suppressed:
        return "suppressed"
    return effective_status(entry).value if fix_run else "open"
