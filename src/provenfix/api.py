"""The Python API: `scan()` and `fix()`. The CLI, the benchmarks and other tools call these."""

from __future__ import annotations

from collections.abc import Callable

from provenfix import cache
from provenfix.apply import apply_changes
from provenfix.detect import Detection, Scope, available_cores, detect, find
from provenfix.errors import ApplyError, UsageError
from provenfix.llm.configure import ModelOptions, chain_for, specs_for
from provenfix.llm import ENGINE as LLM
from provenfix.model import Fix, ModelRunSummary, Report, Status
from provenfix.remediate import Verifier, remediate
from provenfix.workspace import SourceFile, Workspace, is_test_file, open_workspace


def scan(paths: list[str], *, python: str | None = None, use_cache: bool = True, jobs: int | None = None,
         entry: str | None = None) -> Report:
    """`entry`: "entry-points" (default: web requests, the command line, the environment) or
    "public-api" (also the parameters of public functions: for libraries); default from
    `[tool.provenfix] entry`."""
    ws = open_workspace(paths, python)
    scope = _scope(ws, entry)
    files, targeted = _files(ws)
    key = cache.scan_key(files, targeted, scope)
    hit = cache.load(key) if use_cache else None
    if hit is None:
        parse_warnings: list[str] = []
        findings = find(files, targeted, parse_warnings, jobs, scope)
        if use_cache:
            cache.store(key, findings, parse_warnings)
    else:
        findings, parse_warnings = hit
    return Report(target=str(ws.root), findings=findings, warnings=[*ws.warnings, *parse_warnings])


def fix(paths: list[str], *, python: str | None = None, apply: bool = False, jobs: int | None = None,
        timeout_s: float = 120, per_test_timeout_s: float = 30, engine: str = "auto",
        models: ModelOptions | None = None, progress: Callable[[str], None] = lambda _: None,
        notice: Callable[[str], None] | None = None, entry: str | None = None) -> Report:
    """Find, fix and prove. `engine`: "builtin" (recipes only), "llm" (the model reviews each file,
    with the static findings as context), "auto" (recipes, and the model for the rest when one is
    configured). With `apply`, a verified fix that could not be written raises ApplyError, which
    carries the whole report."""
    ws = open_workspace(paths, python)
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

    recipes = detection if engine != "llm" else Detection(detection.index, [])
    outcome = remediate(ws, files, recipes, verifier, jobs=jobs or available_cores(),
                        model_fixes=model_fixes if chain else None)
    applied: list[str] = []
    not_applied: list[str] = []
    if apply:
        applied, not_applied = _apply(ws, files, outcome.fixes, outcome.combined, progress)
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
    report = Report(target=str(ws.root), findings=[*detection.findings, *found_by_model],
                    fixes=outcome.fixes, warnings=warnings, applied=applied, models=summary)
    if not_applied:  # the work is done and reported either way; what could not be written is an error
        raise ApplyError(not_applied, report)
    return report


def _apply(ws: Workspace, files: list[SourceFile], fixes: list[Fix], combined: dict[str, str],
           progress: Callable[[str], None]) -> tuple[list[str], list[str]]:
    """Write the verified patches and their proof tests: (files written, one line per problem)."""
    originals = {f.path: f.text for f in files}
    changes: dict[str, tuple[str, str | None]] = {p: (t, originals.get(p)) for p, t in combined.items()}
    together: list[set[str]] = []  # a fix's patched files and its proof test are written together or not at all
    for f in fixes:
        if f.status is Status.VERIFIED and f.candidate:
            changes[f.candidate.proof_test.path] = (f.candidate.proof_test.code, None)
            together.append({e.path for e in f.candidate.edits} | {f.candidate.proof_test.path})
    done = apply_changes(ws.root, changes, together, waiting=progress)
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

