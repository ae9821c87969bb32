"""Per finding: build a candidate (patch + explanation + proof test), have the verifier judge it.

Fixes that touch the same file are then re-derived one on top of the other and verified
together, so what `--apply` writes is exactly what was proven: `Outcome.combined` holds the
judged texts themselves, and is checked against the digests the verifier took of them.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePosixPath

from provenfix.codemods.base import Unfixable
from provenfix.detect import Detected, Detection, Scope, detect
from provenfix.knowledge import load_rule
from provenfix.model import Candidate, Explanation, FileEdit, Finding, Fix, ProofTest, RunResult, Status
from provenfix.recipes.proof import render, render_behaviour
from provenfix.verify import _edits, prove
from provenfix.verify._behaviour import Behaviour, BehaviourTest
from provenfix.workspace import SourceFile, Workspace
from provenfix.flow.syntax import parse_module

Progress = Callable[[str], None]
ENGINE = "builtin"


@dataclass
class Outcome:
    fixes: list[Fix]
    combined: dict[str, str] = field(default_factory=dict)  # path → final text, for --apply


class Verifier:
    """Judges candidates of any engine against one project: the baseline suite runs once, when the
    first candidate needs it; a re-scan of the patched files must lose the finding and gain nothing;
    benign inputs through the finding's entry point must behave as before, whoever wrote the fix."""

    def __init__(self, ws: Workspace, files: list[SourceFile], known: set[str], *, timeout_s: float,
                 per_test_timeout_s: float, progress: Progress, scope: Scope = Scope()) -> None:
        self.ws, self.files, self.known, self.scope = ws, files, known, scope  # scope: the scan's, for re-scans
        self.timeout_s, self.per_test_timeout_s, self.progress = timeout_s, per_test_timeout_s, progress
        self._baseline: RunResult | None = None
        self._lock = threading.Lock()
        self._detected: dict[str, Detected] = {}
        self._behaviours: dict[str, Behaviour] = {}
        self._behaviour_lock = threading.Lock()  # not the baseline's: a re-detection must not hold that up
        self._judged = itertools.count(1)  # candidates judged so far, for the progress line's count
        self.open = len(known)  # findings to fix (remediate() leaves out the suppressed ones)

    def know(self, detection: Detection) -> None:
        """The recipes' matches: their entry points and benign inputs make the behaviour tests."""
        with self._behaviour_lock:
            self._detected.update({d.finding.id: d for d in detection.items})

    @property
    def suite_before(self) -> RunResult:
        with self._lock:
            if self._baseline is None:
                self.progress(f"running the project's own tests once as a baseline ({self.ws.root.name})")
                self._baseline = prove.baseline_suite(self.ws.root, self.ws.python, self.ws.test_command, self.timeout_s,
                                                      per_test_timeout_s=self.per_test_timeout_s)
            return self._baseline

    def rescan(self, finding_ids: Collection[str], patched_root: Path, paths: list[str]) -> list[str]:
        """Findings in the patched files that are the fixed ones still, or new ones the patch brought."""
        edited = set(paths)  # every other file of the copy is the original, already in memory
        patched = [SourceFile(f.path, _read(patched_root / f.path, f.text)) if f.path in edited else f for f in self.files]
        again = detect(patched, only=set(paths), scope=self.scope)
        return [f.id for f in again.findings if f.id in finding_ids or f.id not in self.known]

    def behaviour(self, finding: Finding) -> Behaviour:
        """Our behaviour test for a finding, made from its entry point and its class's benign inputs,
        never from the candidate: or the reason there is none."""
        with self._behaviour_lock:
            if finding.id not in self._behaviours:
                self._behaviours[finding.id] = self._make_behaviour(finding)
            return self._behaviours[finding.id]

    def _make_behaviour(self, finding: Finding) -> Behaviour:
        if finding.entry is None:
            return "not compared: the finding has no entry point a test can call"
        item = self._detected.get(finding.id)
        if item is None:  # e.g. with --engine llm the recipes did not run: match the finding again
            again = detect(self.files, only={finding.location.path}, scope=self.scope)
            item = next((d for d in again.items if d.finding.id == finding.id), None)
        fn = item.match.site.function if item is not None else None
        if item is None or (fn is None and finding.entry.kind != "script"):
            return "not compared: no recipe knows the benign inputs of this finding's class"
        plan = item.recipe.proof(finding, item.match)
        if not plan.benign:
            return f"not compared: {item.recipe.rule_id} declares no benign inputs"
        test = BehaviourTest(key=re.sub(r"[^a-z0-9]", "_", finding.id.lower()), code="", inputs=list(plan.benign))
        code = render_behaviour(finding, plan, fn, needs_sql=item.recipe.harness == "sql",
                                results=PurePosixPath(test.results).name)
        return replace(test, code=code)

    def judge(self, candidate: Candidate, finding: Finding, engine: str) -> Fix:
        number = next(self._judged)  # atomic: judged from several threads
        count = f" ({number} of {self.open})" if number <= self.open else ""  # a model's retries go past it
        self.progress(f"verifying {finding.rule_id} at {finding.location.path}:{finding.location.start_line}{count}")
        suite_before = self.suite_before
        verdict = prove.verify_candidate(
            self.ws.root, candidate, python=self.ws.python, suite_args=self.ws.test_command, suite_before=suite_before,
            rescan=partial(self.rescan, {candidate.finding_id}), finding_id=candidate.finding_id,
            behaviour=self.behaviour(finding), timeout_s=self.timeout_s, per_test_timeout_s=self.per_test_timeout_s,
        )
        return Fix(finding=finding, status=verdict.status, engine=engine, candidate=candidate,
                   evidence=verdict.evidence, reason=verdict.reason)


def remediate(ws: Workspace, files: list[SourceFile], detection: Detection, verifier: Verifier, *, jobs: int = 2,
              model_fixes: Callable[[list[Fix]], list[Fix]] | None = None) -> Outcome:
    """Built-in candidates for the findings recipes cover, verified `jobs` at a time; then the model's
    fixes, if an engine gives them; then fixes sharing a file combined and verified together."""
    texts = {f.path: f.text for f in files}
    verifier.know(detection)
    todo = [d for d in detection.items if d.finding.suppressed is None]
    verifier.open = len(todo)
    candidates = {d.finding.id: _candidate(d, texts, detection) for d in todo}
    by_id = {d.finding.id: d for d in todo}
    to_verify = [c for c in candidates.values() if isinstance(c, Candidate)]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        judged = {f.finding.id: f for f in pool.map(lambda c: verifier.judge(c, by_id[c.finding_id].finding, ENGINE), to_verify)}
    outcome = Outcome([c if isinstance(c, Fix) else judged[c.finding_id] for c in candidates.values()])
    if model_fixes is not None:
        by_model = {f.finding.id: f for f in model_fixes(outcome.fixes)}
        # A model's fix of a static finding takes the place of the recipe's attempt, which did not verify.
        outcome.fixes = [by_model.pop(f.finding.id, f) for f in outcome.fixes] + list(by_model.values())
    _combine(ws, files, outcome, verifier)
    _keep_judged(outcome)
    return outcome


def _candidate(d: Detected, texts: dict[str, str], detection: Detection) -> Candidate | Fix:
    finding = d.finding
    if finding.entry is None:
        return Fix(finding=finding, status=Status.UNFIXED, engine=ENGINE,
                   reason="no entry point a test can call (module-level code or a nested function)")
    if "unfixable" in d.match.detail:  # the detector already knows no rule-based rewrite is safe
        return Fix(finding=finding, status=Status.UNFIXED, engine=ENGINE, reason=d.match.detail["unfixable"])
    try:
        new_texts = d.recipe.rewrite(d.match, texts, detection.index)
    except Unfixable as exc:
        return Fix(finding=finding, status=Status.UNFIXED, engine=ENGINE, reason=str(exc))
    except Exception as exc:  # a codemod bug: report it on this finding, keep fixing the others
        return Fix(finding=finding, status=Status.UNFIXED, engine=ENGINE,
                   reason=f"internal error while rewriting ({type(exc).__name__}: {exc}); no patch offered")
    for path, text in new_texts.items():
        try:
            parse_module(text)
        except SyntaxError as exc:  # a codemod bug must never reach a user's file
            return Fix(finding=finding, status=Status.UNFIXED, engine=ENGINE,
                       reason=f"the rewrite of {path} did not parse ({exc.msg}); no patch offered")
    edits = [FileEdit(path=p, before=texts[p], after=t) for p, t in sorted(new_texts.items()) if t != texts[p]]
    if not edits:
        return Fix(finding=finding, status=Status.UNFIXED, engine=ENGINE, reason="the rewrite changed nothing")
    plan = d.recipe.proof(finding, d.match)
    code = render(finding, plan, d.match.site.function, needs_sql=d.recipe.harness == "sql")
    return Candidate(
        finding_id=finding.id,
        engine=ENGINE,
        edits=edits,
        explanation=explain(finding),
        proof_test=ProofTest(path=proof_path(finding), code=code),
        environment=d.recipe.environment(d.match),
    )


def explain(finding) -> Explanation:
    """The rule's explanation, its summary opened by where this finding is and what reached the sink."""
    rule = load_rule(finding.rule_id)
    where = f"`{finding.location.qualname}`" if finding.location.qualname else finding.location.path
    general = rule.explanation()
    return general.model_copy(update={"summary": f"{rule.title} in {where} ({finding.location.path}:"
                                                 f"{finding.location.start_line}): {finding.message}. {general.summary}"})


def proof_path(finding) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", load_rule(finding.rule_id).name.lower()).strip("_")
    return f"tests/security/test_provenfix_{slug}_{finding.id[:8]}.py"


def _read(path: Path, fallback: str) -> str:
    """The patched text as Python reads it; the original if it is unreadable (the re-scan then keeps the finding)."""
    try:
        text = _edits.read_text(path)
    except _edits.EditProblem:
        return fallback
    return fallback if text is None else text


def _combine(ws: Workspace, files: list[SourceFile], outcome: Outcome, verifier: Verifier) -> None:
    """Re-derive verified fixes that share files on top of each other; verify each such group together.

    A built-in fix is re-derived by its recipe on the text the others left; a model's fix, whose
    edits are anchored text, is merged line by line (refused where two fixes change the same lines)."""
    verified = [f for f in outcome.fixes if f.status is Status.VERIFIED and f.candidate]
    groups: list[list[Fix]] = []
    for fix in verified:
        paths = {e.path for e in fix.candidate.edits}
        joined = [g for g in groups if paths & {e.path for f in g for e in f.candidate.edits}]
        merged = [fix] + [f for g in joined for f in g]
        groups = [g for g in groups if g not in joined] + [merged]
    texts = {f.path: f.text for f in files}
    for group in groups:
        if len(group) == 1:
            for edit in group[0].candidate.edits:
                outcome.combined[edit.path] = edit.after
            continue
        group.sort(key=lambda f: (f.engine != ENGINE, f.finding.location.path, f.finding.location.start_line))
        verifier.progress(f"verifying {len(group)} fixes together in {', '.join(sorted({e.path for f in group for e in f.candidate.edits}))}")
        current = dict(texts)
        try:
            for fix in group:
                current.update(_rederive(fix, texts, current, verifier.scope))
        except (Unfixable, _edits.EditProblem) as exc:
            _demote(outcome, group[1:], f"conflicts with another fix in the same file: {exc}")
            for edit in group[0].candidate.edits:
                outcome.combined[edit.path] = edit.after
            continue
        edits = [FileEdit(path=p, before=texts.get(p, ""), after=t) for p, t in current.items() if t != texts.get(p, "")]
        ids = [f.finding.id for f in group]
        verdict = prove.verify_together(
            ws.root, edits, [f.candidate.proof_test for f in group], python=ws.python,
            suite_args=ws.test_command, suite_before=verifier.suite_before,
            rescan=partial(verifier.rescan, set(ids)), finding_ids=ids,
            behaviours=[verifier.behaviour(f.finding) for f in group],
            environment=[name for f in group for name in f.candidate.environment],
            timeout_s=verifier.timeout_s, per_test_timeout_s=verifier.per_test_timeout_s,
        )
        if verdict.status is Status.VERIFIED:
            # The very texts judged together are what --apply writes; each fix's evidence says so.
            outcome.combined.update({e.path: e.after for e in edits})
            judged = verdict.evidence.judged_files
            outcome.fixes = [f.model_copy(update={"evidence": f.evidence.model_copy(update={
                "judged_files": judged, "combined_with": [i for i in ids if i != f.finding.id]})})
                if f.finding.id in ids and f.evidence is not None else f for f in outcome.fixes]
        else:
            _demote(outcome, group[1:], f"fails when combined with the other fixes in the same file: {verdict.reason}")
            for edit in group[0].candidate.edits:
                outcome.combined[edit.path] = edit.after


def _rederive(fix: Fix, originals: dict[str, str], current: dict[str, str], scope: Scope) -> dict[str, str]:
    if fix.engine == ENGINE:
        again = detect([SourceFile(p, t) for p, t in current.items()], only={fix.finding.location.path}, scope=scope)
        item = next((d for d in again.items if d.finding.id == fix.finding.id), None)
        if item is None:  # the other fixes removed it too (one sink reached from two calls): its proof will tell
            return {}
        return item.recipe.rewrite(item.match, current, again.index)
    out = {}
    for edit in fix.candidate.edits:
        ours = FileEdit(path=edit.path, before=originals.get(edit.path, ""), after=current.get(edit.path, ""))
        out[edit.path] = _edits.merge_edits([ours, edit])[0].after
    return out


def _keep_judged(outcome: Outcome) -> None:
    """Fail closed if a text to be written is not the one its fix was judged on: a verified fix
    whose files would be written otherwise is demoted, and its files are not written."""
    wrong = [f for f in outcome.fixes if f.status is Status.VERIFIED and f.evidence is not None and any(
        prove.text_digest(outcome.combined.get(path, "")) != digest for path, digest in f.evidence.judged_files.items())]
    if wrong:
        _demote(outcome, wrong, "internal error: the text to write differs from the text that was judged; not applied")
        for fix in wrong:
            for path in fix.evidence.judged_files:
                outcome.combined.pop(path, None)


def _demote(outcome: Outcome, fixes: list[Fix], reason: str) -> None:
    ids = {f.finding.id for f in fixes}
    outcome.fixes = [f.model_copy(update={"status": Status.REJECTED, "reason": reason}) if f.finding.id in ids else f
                     for f in outcome.fixes]
