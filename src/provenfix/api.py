"""The Python API: `scan()` and `fix()`. The CLI, the benchmarks and other tools call these."""

from __future__ import annotations

from collections.abc import Callable

from provenfix import cache
from provenfix.apply import apply_changes
from provenfix.detect import available_cores, detect, find
from provenfix.model import Report, Status
from provenfix.remediate import remediate
from provenfix.workspace import Workspace, is_test_file, open_workspace


def scan(paths: list[str], *, python: str | None = None, use_cache: bool = True, jobs: int | None = None) -> Report:
    ws = open_workspace(paths, python)
    files, targeted = _files(ws)
    key = cache.scan_key(files, targeted)
    hit = cache.load(key) if use_cache else None
    if hit is None:
        parse_warnings: list[str] = []
        findings = find(files, targeted, parse_warnings, jobs)
        if use_cache:
            cache.store(key, findings, parse_warnings)
    else:
        findings, parse_warnings = hit
    return Report(target=str(ws.root), findings=findings, warnings=[*ws.warnings, *parse_warnings])


def fix(paths: list[str], *, python: str | None = None, apply: bool = False, jobs: int | None = None,
        timeout_s: float = 120, per_test_timeout_s: float = 30, progress: Callable[[str], None] = lambda _: None) -> Report:
    ws = open_workspace(paths, python)
    files, targeted = _files(ws)
    progress(f"scanning {len(targeted)} file(s) in {ws.root}")
    detection = detect(files, only=targeted, warnings=ws.warnings)
    outcome = remediate(ws, files, detection, jobs=jobs or available_cores(), timeout_s=timeout_s,
                        per_test_timeout_s=per_test_timeout_s, progress=progress)
    applied: list[str] = []
    warnings = list(ws.warnings)
    if apply:
        originals = {f.path: f.text for f in files}
        changes: dict[str, tuple[str, str | None]] = {p: (t, originals[p]) for p, t in outcome.combined.items()}
        for f in outcome.fixes:
            if f.status is Status.VERIFIED and f.candidate:
                changes[f.candidate.proof_test.path] = (f.candidate.proof_test.code, None)
        applied, errors = apply_changes(ws.root, changes)
        warnings += errors
    return Report(target=str(ws.root), findings=detection.findings, fixes=outcome.fixes, warnings=warnings, applied=applied)


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

