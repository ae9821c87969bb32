"""The Python API: `scan()` and `fix()`. The CLI, the benchmarks and other tools call these."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from provenfix import cache, gitbranch
from provenfix.apply import apply_changes
from provenfix.baseline import Baseline
from provenfix.changeset import Change, all_files, verified_changes
from provenfix.detect import Detection, Scope, available_cores, detect, find
from provenfix.errors import ApplyError, ProvenFixError, UsageError
from provenfix.llm.configure import ModelOptions, chain_for, specs_for
from provenfix.llm import ENGINE as LLM
from provenfix.model import Fix, ModelRunSummary, PatchVerdict, ProofTest, Report, Status
from provenfix.patchfile import render_patch, write_patch
from provenfix.remediate import Verifier, remediate
from provenfix.workspace import SourceFile, Workspace, is_test_file, open_workspace


def scan(paths: list[str], *, python: str | None = None, use_cache: bool = True, jobs: int | None = None,
         entry: str | None = None, baseline: Baseline | None = None,
         progress: Callable[[str], None] = lambda _: None) -> Report:
    """`entry`: "entry-points" (default: web requests, the command line, the environment) or
    "public-api" (also the parameters of public functions: for libraries); default from
    `[tool.provenfix] entry`. `baseline`: report only the findings it does not list."""
    ws = open_workspace(paths, python)
    scope = _scope(ws, entry)
    files, targeted = _files(ws)
    key = cache.scan_key(files, targeted, scope)
    hit = cache.load(key) if use_cache else None
    if hit is None:
        progress(f"scanning {len(targeted)} file(s) in {ws.root.name}")
        parse_warnings: list[str] = []
        findings = find(files, targeted, parse_warnings, jobs, scope)
        if use_cache:
            cache.store(key, findings, parse_warnings)
    else:
        findings, parse_warnings = hit
    shown = baseline.new(findings) if baseline else findings
    return Report(target=str(ws.root), findings=shown, warnings=[*ws.warnings, *parse_warnings],
                  baselined=len(findings) - len(shown))


def fix(paths: list[str], *, python: str | None = None, apply: bool = False, jobs: int | None = None,
        timeout_s: float = 120, per_test_timeout_s: float = 30, engine: str = "auto",
        models: ModelOptions | None = None, progress: Callable[[str], None] = lambda _: None,
        notice: Callable[[str], None] | None = None, entry: str | None = None,
        baseline: Baseline | None = None, branch: str | None = None, patch: Path | None = None) -> Report:
    """Find, fix and prove. `engine`: "builtin" (recipes only), "llm" (the model reviews each file,
    with the static findings as context), "auto" (recipes, and the model for the rest when one is
    configured). With `apply`, a verified fix that could not be written raises ApplyError, which
    carries the whole report. `baseline`: fix and report only the findings it does not list.
    `branch` (with `apply`): write the fixes as commits on this new git branch, which the run leaves
    checked out. `patch`: write every verified fix and its proof test to this file as a unified diff,
    with or without `apply`; a patch that could not be written raises ApplyError too."""
    ws = open_workspace(paths, python)
    if branch is not None:  # before the work: a run of minutes must not end in "branch exists"
        if not apply:
            raise UsageError("--branch needs --apply: it commits the fixes it writes")
        gitbranch.check(ws.root, branch)
    scope = _scope(ws, entry)
    options = models or ModelOptions()
    notices: list[str] = []  # what the project's config named and may not choose: shown with the warnings
    specs = specs_for(options, ws.config, notices) if engine != "builtin" else []  # policy errors before any work
    if engine == "llm" and not specs:
        raise UsageError("--engine llm needs a model: --model PROVIDER:MODEL, or models = [...] in "
                         "~/.config/provenfix/config.toml" + "".join(f"; {n}" for n in notices))
    if engine == "auto" and not specs:
        (notice or progress)("no model configured: built-in engine only")
    files, targeted = _files(ws)
    warnings = [*ws.warnings, *notices]
    progress(f"scanning {len(targeted)} file(s) in {ws.root.name}")
    detection = detect(files, only=targeted, warnings=warnings, scope=scope)
    progress(f"found {len(detection.findings)} finding(s) in {len(targeted)} file(s)")
    verifier = Verifier(ws, files, {f.id for f in detection.findings}, timeout_s=timeout_s,
                        per_test_timeout_s=per_test_timeout_s, progress=progress, scope=scope)
    chain = chain_for(specs, options) if specs else None
    model_run = None

    def model_fixes(builtin: list[Fix]) -> list[Fix]:
        nonlocal model_run
        from provenfix.llm.engine import ProjectView, review_files  # only when a model is configured

        handled = {(f.finding.location.path, line) for f in builtin if f.status is Status.VERIFIED
                   for line in range(f.finding.location.start_line, f.finding.location.end_line + 1)}
        notes = {f.finding.id: f.reason for f in builtin if f.status is not Status.VERIFIED and f.reason}
        view = ProjectView(files, sorted(p for p in targeted if not is_test_file(p)), detection.findings, handled, notes)
        model_run = review_files(view, chain, lambda c, f: verifier.judge(c, f, LLM), attempts=options.attempts,
                                 keep_transcripts=options.keep_transcripts, progress=progress)
        return model_run.fixes

    new = {f.id for f in (baseline.new(detection.findings) if baseline else detection.findings)}
    kept = Detection(detection.index, [d for d in detection.items if d.finding.id in new])  # the baseline's stay as they are
    recipes = kept if engine != "llm" else Detection(detection.index, [])
    outcome = remediate(ws, files, recipes, verifier, jobs=jobs or available_cores(),
                        model_fixes=model_fixes if chain else None)
    applied: list[str] = []
    not_applied: list[str] = []
    changes = verified_changes(outcome.fixes, outcome.combined, {f.path: f.text for f in files})
    if patch is not None:
        try:
            write_patch(patch, render_patch(changes, root=ws.root))
        except ProvenFixError as exc:
            not_applied.append(str(exc))
    if apply:
        applied, problems = _apply(ws, changes, branch, progress, notice or progress)
        not_applied += problems
        warnings += not_applied
    summary = None
    if chain is not None:
        spent = chain.spent
        summary = ModelRunSummary(chain=[c.name for c in chain.clients], requests=spent.requests,
                                  input_tokens=spent.input_tokens, output_tokens=spent.output_tokens,
                                  cost_usd=spent.cost_usd, stopped=model_run.stopped if model_run else None,
                                  skipped=model_run.skipped if model_run else [])
        if summary.stopped:
            warnings.append(f"model engine stopped early: {summary.stopped}")
        warnings += summary.skipped
    known = {f.id for f in detection.findings}
    found_by_model = [f.finding for f in outcome.fixes if f.engine == LLM and f.finding.id not in known]
    report = Report(target=str(ws.root), findings=[*kept.findings, *found_by_model],
                    fixes=outcome.fixes, warnings=warnings, applied=applied, models=summary,
                    baselined=len(detection.items) - len(kept.items), command="fix")
    if not_applied:  # the work is done and reported either way; what could not be written is an error
        raise ApplyError(not_applied, report)
    return report


def verify(paths: list[str], patch: str, proof_test: str, *, finding_id: str | None = None, python: str | None = None,
           timeout_s: float = 120, per_test_timeout_s: float = 30, entry: str | None = None,
           progress: Callable[[str], None] = lambda _: None) -> PatchVerdict:
    """Judge a patch written elsewhere (a coding agent's unified diff) and the proof test written for it, by
    the verifier that judges ours; what its author says of it is never an input. It is judged against
    `finding_id`, else against the open findings on the lines it changes: the re-scan must lose them and
    gain nothing. Nothing is written to the project. PatchError: a patch that cannot be judged."""
    import hashlib

    from provenfix.llm.engine import _check_proof as check_proof  # the checks a model's proof test gets
    from provenfix.patches import PatchError, edits_from_patch, touched_lines
    from provenfix.verify import prove
    from provenfix.verify._edits import EditProblem

    ws = open_workspace(paths, python)
    scope = _scope(ws, entry)
    edits = edits_from_patch(ws.root, patch)
    try:
        check_proof(proof_test)
    except EditProblem as exc:
        raise PatchError(str(exc)) from None
    files, targeted = _files(ws)
    edited = {e.path for e in edits}
    progress(f"scanning {len(targeted | edited)} file(s) in {ws.root.name}")
    detection = detect(files, only=targeted | edited, scope=scope)
    open_findings = [f for f in detection.findings if f.suppressed is None]
    if finding_id is not None:
        targets = [f for f in open_findings if f.id == finding_id]
        if not targets:
            raise UsageError(f"finding {finding_id} is not an open finding of {ws.root.name}; `scan` lists them")
    else:
        lines = {e.path: touched_lines(e) for e in edits}
        targets = [f for f in open_findings if lines.get(f.location.path, set()) & set(
            range(f.location.start_line, f.location.end_line + 1))]
    if not targets:  # else "verified" would rest on the agent's own test alone: one it wrote to pass on its patch
        raise UsageError(f"the patch changes no line of an open finding of {ws.root.name}: name the finding it fixes "
                         "with finding_id (`scan` lists them)")
    known = {f.path for f in files}  # a file the patch creates is re-scanned as well
    verifier = Verifier(ws, files + [SourceFile(p, "") for p in sorted(edited - known) if p.endswith(".py")],
                        {f.id for f in detection.findings}, timeout_s=timeout_s,
                        per_test_timeout_s=per_test_timeout_s, progress=progress, scope=scope)
    verifier.know(detection)
    ids = [f.id for f in targets]
    also = {f.location.path for f in targets}  # the re-scan reads the targets' own files too, edited or not
    proof = ProofTest(path=f"tests/security/test_provenfix_agent_{hashlib.sha256(proof_test.encode()).hexdigest()[:8]}.py",
                      code=proof_test)
    progress(f"verifying the patch to {', '.join(sorted(edited))}")
    verdict = prove.verify_together(
        ws.root, edits, [proof], python=ws.python, suite_args=ws.test_command, suite_before=verifier.suite_before,
        rescan=lambda root, rels: verifier.rescan(set(ids), root, sorted(set(rels) | also)), finding_ids=ids,
        behaviours=[verifier.behaviour(f) for f in targets], timeout_s=timeout_s, per_test_timeout_s=per_test_timeout_s,
    )
    return PatchVerdict(findings=targets, edits=edits, proof_test=proof, verdict=verdict)


def _apply(ws: Workspace, changes: list[Change], branch: str | None, progress: Callable[[str], None],
           notice: Callable[[str], None]) -> tuple[list[str], list[str]]:
    """Write the verified patches and their proof tests, or commit them on `branch`:
    (files written, one line per problem)."""
    if branch is not None:
        committed = gitbranch.commit_fixes(ws.root, branch, changes, waiting=progress)
        if committed.commits:
            notice(f"branch {branch}: {len(committed.commits)} commit(s), one per verified fix; it is checked out now")
        return committed.written, committed.problems
    # A group's patched files and proof tests are written together or not at all.
    done = apply_changes(ws.root, all_files(changes), [set(c.files) for c in changes], waiting=progress)
    return done.written, [*done.refused, *([done.failed] if done.failed else [])]


def _scope(ws: Workspace, entry: str | None) -> Scope:
    try:
        return Scope.from_config(ws.config, entry)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _files(ws: Workspace):
    """The whole project is analysed (helpers live anywhere); findings come from the targeted files.

    Test code is not reported unless named explicitly: its sinks run on fixtures, not on users' input.
    """
    files = ws.files()
    rels = [t.relative_to(ws.root).as_posix() for t in ws.targets if t != ws.root]
    if not rels:
        return files, {f.path for f in files if not is_test_file(f.path)}
    return files, {
        f.path for f in files
        if any(f.path == r or (f.path.startswith(r.rstrip("/") + "/") and not is_test_file(f.path[len(r):])) for r in rels)
    }

