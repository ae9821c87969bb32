"""The judge: a candidate fix is verified only by what running it shows.

A fix is VERIFIED when, each measured in a sandboxed copy of the project:
1. its proof test fails *by assertion* on the original code (an import or collection
   error proves nothing about the bug);
2. the proof test passes on the patched code;
3. the project's suite keeps every test that passed before passing (tests that already
   failed or hung are not held against the fix);
4. a re-scan of the edited files no longer reports the finding, nor anything new;
5. benign inputs of the exploit's shape behave as before: our behaviour test runs in the same
   pytest runs as the proof test and records what they return, raise and write (``_behaviour``).
   Where no behaviour test can be made (no entry point to call), the evidence says so.
Otherwise it is REJECTED with a one-line reason and the evidence gathered so far.
Fixes that share a file are judged together (``verify_together``) by the same checks.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from provenfix.model import BehaviourCheck, Candidate, Evidence, FileEdit, ProofTest, RunResult, Status, Verdict
from provenfix.verify import _behaviour, _edits
from provenfix.verify._behaviour import Behaviour, BehaviourTest
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


def describe(run: RunResult, about: Sequence[str] = ()) -> str:
    """A run's outcome with the first failure's short reason, on one line; a failure of a test in
    ``about`` (the proof tests, not the behaviour test beside them) is the one told, if there is one."""
    if run.outcome == "passed":
        return run.outcome
    lines = run.output_tail.splitlines()
    where = detail = ""
    summary = [m for m in (_SUMMARY_LINE.match(line.strip()) for line in lines) if m]
    match = next((m for m in summary if m.group(2).startswith(tuple(about))), summary[0] if summary else None)
    if match:
        where, detail = match.group(2), match.group(3) or ""
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
    environment: dict[str, str] = field(default_factory=dict)  # what the fixes read from their deployment

    def run(self, project: Path, args: list[str], python: str, *, ours: bool = False) -> RunResult:
        """Run tests; ``ours`` (proof tests): without the project's conftest, config and plugins."""
        return run_pytest(project, args, python=python, timeout_s=self.timeout_s, extra_env=self.environment,
                          per_test_timeout_s=self.per_test_timeout_s, project_plugins=not ours)


def _deployment(names: Sequence[str]) -> dict[str, str]:
    """A generated value for each variable a fix reads from its deployment: never a real secret, and a
    different one on every verification, so no test can pass by knowing it."""
    return {name: f"provenfix-test-{secrets.token_hex(8)}" for name in sorted(set(names))}


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


def _rescan_problem(found: list[str], finding_ids: list[str]) -> str | None:
    still = [fid for fid in found if fid in finding_ids]
    if still:
        return "re-scan still reports the finding" if len(finding_ids) == 1 else f"re-scan still reports {', '.join(still)}"
    if found:
        return f"re-scan reports new findings: {', '.join(found)}"
    return None


def _rescan(judgement: _Judgement, rescan: Rescan, patched: Path, edits: list[FileEdit], finding_ids: list[str]) -> str | None:
    """Re-scan the patched copy, exactly as patched (before anything has run in it)."""
    found = rescan(patched, sorted({edit.path for edit in edits}))
    judgement.facts["rescan_clean"] = not found
    judgement.facts["rescan_new_findings"] = [fid for fid in found if fid not in finding_ids]
    return _rescan_problem(found, finding_ids)


def _judged(judgement: _Judgement, patched: Path, edits: list[FileEdit]) -> None:
    """Digests of the texts judged, as the patched copy holds them: what --apply writes must be these."""
    judgement.facts["judged_files"] = {e.path: text_digest(_edits.read_text(patched / e.path) or "")
                                       for e in sorted(edits, key=lambda e: e.path)}


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write_ours(copy: Path, proofs: list[ProofTest], behaviours: list[BehaviourTest]) -> list[str]:
    """Put our tests in a copy; the pytest arguments. Behaviour tests go first, so they meet the code
    before any exploit payload has run in that process."""
    for test in behaviours:
        _behaviour.write(copy, test)
    for proof in proofs:
        _edits.write_proof(copy, proof)
    return [t.path for t in behaviours] + list(dict.fromkeys(p.path for p in proofs))


def _behaviour_problem(judgement: _Judgement, behaviours: list[Behaviour], original: Path, patched: Path) -> str | None:
    """Compare what each behaviour test saw before and after; unavailable checks are noted as such."""
    checks: list[BehaviourCheck] = []
    reason = None
    for item in behaviours:
        if isinstance(item, str):
            checks.append(BehaviourCheck(unavailable=item))
            continue
        check, problem = _behaviour.compare(item, _behaviour.read(original, item), _behaviour.read(patched, item))
        checks.append(check)
        reason = reason or problem
    if checks:
        judgement.facts["behaviour"] = checks[0] if len(checks) == 1 else _behaviour.combine(checks)
    return reason


def _not_ours(paths: list[str]) -> None:
    """A candidate may not write into the folder our behaviour tests and their observations use."""
    for path in paths:
        if path.split("/")[0] == _behaviour.DIR:
            raise _edits.EditProblem(f"{path} is in {_behaviour.DIR}/, which the verifier keeps for its own tests")


def _tests(behaviours: list[Behaviour]) -> list[BehaviourTest]:
    return [b for b in behaviours if isinstance(b, BehaviourTest)]


def _proofs_without(paths: list[str], tests: dict[str, str], outcome: str) -> list[str]:
    """The proof files none of whose tests ended ``outcome`` in a run."""
    return [p for p in paths if not any(t.startswith(f"{p}::") and o == outcome for t, o in tests.items())]


def verify_candidate(
    root: Path,
    candidate: Candidate,
    *,
    python: str,
    suite_args: list[str] | None,
    suite_before: RunResult | None,
    rescan: Rescan,
    finding_id: str,
    behaviour: Behaviour = "no behaviour test was given",
    timeout_s: float = 120,
    per_test_timeout_s: float = 30,
) -> Verdict:
    """Judge one candidate; see the module docstring for what VERIFIED means.

    ``behaviour`` is our test of benign behaviour for the finding, or why there is none.
    ``timeout_s`` bounds each pytest run, ``per_test_timeout_s`` each test in it.
    """
    return _judge(root, candidate.edits, [candidate.proof_test], [finding_id], [behaviour], python=python,
                  suite_args=suite_args, suite_before=suite_before, rescan=rescan,
                  budget=_Budget(timeout_s, per_test_timeout_s, _deployment(candidate.environment)))


def verify_together(
    root: Path,
    edits: list[FileEdit],
    proof_tests: list[ProofTest],
    *,
    python: str,
    suite_args: list[str] | None,
    suite_before: RunResult | None,
    rescan: Rescan,
    finding_ids: list[str],
    behaviours: Sequence[Behaviour] = (),
    environment: Sequence[str] = (),
    timeout_s: float = 120,
    per_test_timeout_s: float = 30,
) -> Verdict:
    """Judge several fixes applied at once (e.g. in one file) by every check one fix gets: each proof
    test fails on the original and passes on the combined patch, the re-scan loses every finding and
    gains none, benign behaviour is kept, the suite holds."""
    return _judge(root, edits, proof_tests, finding_ids, list(behaviours), python=python, suite_args=suite_args,
                  suite_before=suite_before, rescan=rescan,
                  budget=_Budget(timeout_s, per_test_timeout_s, _deployment(environment)))


def _judge(
    root: Path,
    edits: list[FileEdit],
    proof_tests: list[ProofTest],
    finding_ids: list[str],
    behaviours: list[Behaviour],
    *,
    python: str,
    suite_args: list[str] | None,
    suite_before: RunResult | None,
    rescan: Rescan,
    budget: _Budget,
) -> Verdict:
    """Every check, for one fix or several judged together (see the module docstring)."""
    judgement = _Judgement(isolation_level(python))
    judgement.facts["environment"] = sorted(budget.environment)
    one = len(proof_tests) == 1  # reasons speak of "the proof test" and "the patched code", or of all and "the combined patch"
    patch = "the patched code" if one else "the combined patch"
    tests = _tests(behaviours)
    try:
        merged = _edits.merge_edits(edits)
        _edits.check_applies(root, merged)
        for proof in proof_tests:
            _edits.check_path(proof.path, "proof test")
        _not_ours([e.path for e in merged] + [p.path for p in proof_tests])
    except _edits.EditProblem as exc:
        return judgement.verdict(str(exc))

    with scratch_dir() as work:
        # 1. Each proof test must fail, by assertion, on the original code.
        original = work / "original"
        copy_project(root, original)
        try:
            args = _write_ours(original, proof_tests, tests)
        except _edits.EditProblem as exc:
            return judgement.verdict(str(exc))
        paths = list(dict.fromkeys(proof.path for proof in proof_tests))
        before = budget.run(original, args, python, ours=True)
        judgement.facts["proof_before"] = before
        if before.outcome != "failed-assertion":
            said = "proof test does not fail" if one else "proof tests do not all fail"
            return judgement.verdict(f"{said} on the original code: {describe(before, paths)}")
        # A failed-assertion run has no other kind of failure: each proof must have failed in it.
        quiet = _proofs_without(paths, before.tests, "failed")
        if quiet:
            return judgement.verdict(f"proof tests do not fail on the original code: {', '.join(quiet)}")

        # The patched copy is built and re-scanned before anything runs in it, so the scan sees
        # exactly the patch. Our tests run in a copy of it, keeping the suite's copy free of them
        # and of whatever their run left behind.
        patched = work / "patched"
        copy_project(root, patched)
        with_proof = work / "patched-proof"
        try:
            _edits.apply_edits(patched, merged)
            _judged(judgement, patched, merged)
            rescanned = _rescan(judgement, rescan, patched, merged, finding_ids)
            copy_project(patched, with_proof)
            _write_ours(with_proof, proof_tests, tests)
        except _edits.EditProblem as exc:
            return judgement.verdict(str(exc))
        # 2. Each proof test must pass on the patched code.
        after = budget.run(with_proof, args, python, ours=True)
        judgement.facts["proof_after"] = after
        if after.outcome != "passed":
            said = "proof test does not pass" if one else "proof tests do not all pass"
            return judgement.verdict(f"{said} on {patch}: {describe(after, paths)}")
        idle = _proofs_without(paths, after.tests, "passed")
        if idle:
            return judgement.verdict(f"proof tests ran nothing on {patch}: {', '.join(idle)}")
        # 4 and 5 (measured already, so before the suite): the findings are gone, nothing new
        # appeared, and benign inputs behave as they did.
        problem = _behaviour_problem(judgement, behaviours, original, with_proof)
        problem = rescanned or problem
        if problem:
            return judgement.verdict(problem)
        # 3. The suite keeps passing.
        if suite_args is not None:
            problem = _check_suite(judgement, root, patched, python, suite_args, suite_before, budget)
            if problem:
                return judgement.verdict(problem)
    return judgement.verdict()
