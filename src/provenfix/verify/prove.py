"""The judge: a candidate fix is verified only by what running it shows.

A fix is VERIFIED when, each measured in a sandboxed copy of the project:
1. its proof test fails *by assertion* on the original code (an import or collection
   error proves nothing about the bug);
2. the proof test passes on the patched code;
3. the project's suite keeps every test that passed before passing (tests that already
   failed or hung are not held against the fix);
4. a re-scan of the edited files no longer reports the finding, nor anything new.
Otherwise it is REJECTED with a one-line reason and the evidence gathered so far.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provenfix.model import Candidate, Evidence, FileEdit, ProofTest, RunResult, Status, Verdict
from provenfix.verify import _edits
from provenfix.verify.sandbox import copy_project, isolation_level, run_pytest, scratch_dir

Rescan = Callable[[Path, list[str]], list[str]]

_SUMMARY_LINE = re.compile(r"^(FAILED|ERROR) (\S+)(?: - (.*))?$")
_EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception|Exit|Timeout|Interrupt)\b")
_REASON_CHARS = 200


@dataclass
class _Judgement:
    """Evidence as it accumulates, and the clock for the whole verification."""

    isolation: str
    started: float = field(default_factory=time.monotonic)
    facts: dict[str, Any] = field(default_factory=dict)

    def verdict(self, reason: str | None = None) -> Verdict:
        evidence = Evidence(**self.facts, isolation=self.isolation, duration_s=round(time.monotonic() - self.started, 3))
        status = Status.VERIFIED if reason is None else Status.REJECTED
        return Verdict(status=status, evidence=evidence, reason=reason)


def describe(run: RunResult) -> str:
    """A run's outcome with the first failure's short reason, on one line."""
    if run.outcome == "passed":
        return run.outcome
    lines = run.output_tail.splitlines()
    where = detail = ""
    for line in lines:
        match = _SUMMARY_LINE.match(line.strip())
        if match:
            where, detail = match.group(2), match.group(3) or ""
            break
    if not detail:
        # Collection errors have no reason in the summary: take the traceback's "E   ..." line.
        errors = [line[1:].strip() for line in lines if line.startswith("E ")]
        detail = next((e for e in errors if _EXCEPTION_LINE.match(e)), errors[-1] if errors else "")
    if not where and not detail:
        # No pytest output to speak of (killed, stopped early): the sandbox's note or the last line.
        detail = next((line.strip() for line in reversed(lines) if line.strip()), "")
    said = ": ".join(part for part in (where, detail) if part)
    text = f"{run.outcome} ({said})" if said else run.outcome
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 1] + "…"


def baseline_suite(
    root: Path, python: str, suite_args: list[str], timeout_s: float = 120, *, per_test_timeout_s: float = 30
) -> RunResult:
    """Run the project's suite once on an untouched copy."""
    with scratch_dir() as work:
        copy = work / "project"
        copy_project(root, copy)
        return run_pytest(copy, list(suite_args), python=python, timeout_s=timeout_s, per_test_timeout_s=per_test_timeout_s)


def _broken(before: RunResult, after: RunResult) -> list[str]:
    return sorted(test for test, outcome in before.tests.items() if outcome == "passed" and after.tests.get(test) != "passed")


@dataclass(frozen=True)
class _Budget:
    timeout_s: float
    per_test_timeout_s: float

    def run(self, project: Path, args: list[str], python: str, *, ours: bool = False) -> RunResult:
        """Run tests; ``ours`` (proof tests): without the project's conftest, config and plugins."""
        return run_pytest(project, args, python=python, timeout_s=self.timeout_s,
                          per_test_timeout_s=self.per_test_timeout_s, project_plugins=not ours)


def _check_suite(
    judgement: _Judgement,
    root: Path,
    patched: Path,
    python: str,
    suite_args: list[str],
    suite_before: RunResult | None,
    budget: _Budget,
) -> str | None:
    """Run the suite on the patched copy and compare test by test; the reason to reject, if any."""
    if suite_before is None:
        suite_before = baseline_suite(root, python, suite_args, budget.timeout_s, per_test_timeout_s=budget.per_test_timeout_s)
    judgement.facts["suite_before"] = suite_before
    after = budget.run(patched, list(suite_args), python)
    judgement.facts["suite_after"] = after
    broken = _broken(suite_before, after)
    judgement.facts["broken_tests"] = broken
    if broken:
        shown = ", ".join(broken[:5]) + (f" and {len(broken) - 5} more" if len(broken) > 5 else "")
        return f"patch breaks tests that passed before: {shown}"
    return None


def _rescan_problem(found: list[str], finding_id: str) -> str | None:
    if finding_id in found:
        return "re-scan still reports the finding"
    if found:
        return f"re-scan reports new findings: {', '.join(found)}"
    return None


def verify_candidate(
    root: Path,
    candidate: Candidate,
    *,
    python: str,
    suite_args: list[str] | None,
    suite_before: RunResult | None,
    rescan: Rescan,
    finding_id: str,
    timeout_s: float = 120,
    per_test_timeout_s: float = 30,
) -> Verdict:
    """Judge one candidate; see the module docstring for what VERIFIED means.

    ``timeout_s`` bounds each pytest run, ``per_test_timeout_s`` each test in it.
    """
    judgement = _Judgement(isolation_level(python))
    budget = _Budget(timeout_s, per_test_timeout_s)
    proof = candidate.proof_test
    try:
        _edits.check_applies(root, candidate.edits)
        _edits.check_path(proof.path, "proof test")
    except _edits.EditProblem as exc:
        return judgement.verdict(str(exc))

    with scratch_dir() as work:
        # 1. The proof test must fail, by assertion, on the original code.
        original = work / "original"
        copy_project(root, original)
        try:
            _edits.write_proof(original, proof)
        except _edits.EditProblem as exc:
            return judgement.verdict(str(exc))
        before = budget.run(original, [proof.path], python, ours=True)
        judgement.facts["proof_before"] = before
        if before.outcome != "failed-assertion":
            return judgement.verdict(f"proof test does not fail on the original code: {describe(before)}")

        # The patched copy is built and re-scanned before anything runs in it, so the
        # scan sees exactly the patch. The proof test runs in a copy of it, keeping the
        # suite's copy free of the proof test and of whatever that run left behind.
        patched = work / "patched"
        copy_project(root, patched)
        try:
            _edits.apply_edits(patched, candidate.edits)
        except _edits.EditProblem as exc:  # e.g. an edit inside a directory copies leave out
            return judgement.verdict(str(exc))
        found = rescan(patched, sorted({edit.path for edit in candidate.edits}))
        with_proof = work / "patched-proof"
        copy_project(patched, with_proof)
        _edits.write_proof(with_proof, proof)

        # 2. The proof test must pass on the patched code.
        after = budget.run(with_proof, [proof.path], python, ours=True)
        judgement.facts["proof_after"] = after
        if after.outcome != "passed":
            return judgement.verdict(f"proof test does not pass on the patched code: {describe(after)}")

        # 4 (cheap, so before the suite). The finding is gone and nothing new appeared.
        judgement.facts["rescan_clean"] = not found
        judgement.facts["rescan_new_findings"] = [fid for fid in found if fid != finding_id]
        problem = _rescan_problem(found, finding_id)
        if problem:
            return judgement.verdict(problem)

        # 3. The suite keeps passing.
        if suite_args is not None:
            problem = _check_suite(judgement, root, patched, python, suite_args, suite_before, budget)
            if problem:
                return judgement.verdict(problem)
    return judgement.verdict()


def verify_together(
    root: Path,
    edits: list[FileEdit],
    proof_tests: list[ProofTest],
    *,
    python: str,
    suite_args: list[str] | None,
    suite_before: RunResult | None,
    timeout_s: float = 120,
    per_test_timeout_s: float = 30,
) -> Verdict:
    """Judge several fixes applied at once (e.g. in one file): every proof test passes, the suite holds."""
    judgement = _Judgement(isolation_level(python))
    budget = _Budget(timeout_s, per_test_timeout_s)
    try:
        merged = _edits.merge_edits(edits)
        _edits.check_applies(root, merged)
        for proof in proof_tests:
            _edits.check_path(proof.path, "proof test")
    except _edits.EditProblem as exc:
        return judgement.verdict(str(exc))

    with scratch_dir() as work:
        patched = work / "patched"
        copy_project(root, patched)
        with_proof = work / "patched-proof"
        try:
            _edits.apply_edits(patched, merged)
            copy_project(patched, with_proof)
            for proof in proof_tests:
                _edits.write_proof(with_proof, proof)
        except _edits.EditProblem as exc:
            return judgement.verdict(str(exc))
        paths = sorted({proof.path for proof in proof_tests})
        after = budget.run(with_proof, paths, python, ours=True)
        judgement.facts["proof_after"] = after
        if after.outcome != "passed":
            return judgement.verdict(f"proof tests do not all pass on the combined patch: {describe(after)}")
        idle = [p for p in paths if not any(t.startswith(f"{p}::") and o == "passed" for t, o in after.tests.items())]
        if idle:
            return judgement.verdict(f"proof tests ran nothing on the combined patch: {', '.join(idle)}")
        if suite_args is not None:
            problem = _check_suite(judgement, root, patched, python, suite_args, suite_before, budget)
            if problem:
                return judgement.verdict(problem)
    return judgement.verdict()
