"""The model engine: each file given is reviewed by the chain's first model that answers; every bug
it reports becomes a candidate (its edits, its explanation, its proof test) that the same verifier
as the built-in engine judges. A refused or rejected candidate goes back with the reason and the
verifier's output, up to `attempts` times. The model never decides what is verified."""

from __future__ import annotations

import ast
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from provenfix.flow.index import module_name
from provenfix.llm import ENGINE, prompts
from provenfix.llm.chain import BudgetExhausted, Chain, ChainExhausted
from provenfix.llm.client import Answer, ProviderFailure, Usage, transcript
from provenfix.llm.edits import apply_blocks
from provenfix.llm.redact import redact, redact_many, restore
from provenfix.llm.schema import BugFix, Review
from provenfix.model import (Candidate, Evidence, Explanation, Finding, Fix, Location, ModelFailure, ModelUse,
                             ProofTest, Severity, Status)
from provenfix.verify._edits import EditProblem
from provenfix.workspace import SourceFile, is_test_file
from provenfix.flow.syntax import parse_module

RULE_PREFIX = "PF-MODEL"
Judge = Callable[[Candidate, Finding], Fix]
_EXAMPLE_TEST_CHARS = 4000


@dataclass
class ProjectView:
    """Everything the engine needs to know about the project, and where findings already exist."""

    files: list[SourceFile]
    targets: list[str]
    static: list[Finding]
    handled: set[tuple[str, int]] = field(default_factory=set)  # (path, line) fixed by a built-in recipe
    builtin_notes: dict[str, str] = field(default_factory=dict)  # finding id → why its recipe did not fix it


@dataclass
class ModelRun:
    fixes: list[Fix] = field(default_factory=list)
    stopped: str | None = None  # why the run stopped early (budget, no model left)
    skipped: list[str] = field(default_factory=list)  # files no model could review


def review_files(project: ProjectView, chain: Chain, judge: Judge, *, attempts: int = 3, keep_transcripts: bool = False,
                 progress: Callable[[str], None] = lambda _: None) -> ModelRun:
    run = ModelRun()
    texts = {f.path: f.text for f in project.files}
    for path in project.targets:
        if run.stopped:
            break
        if not _has_code(texts[path]):
            continue  # a package's __init__ with only a docstring and imports: nothing to ask about
        progress(f"asking {chain.clients[0].name}{' (with fallbacks)' if len(chain.clients) > 1 else ''} to review {path}")
        given = {path: texts[path]}
        redacted, secrets = redact_many(given)
        prompt = prompts.review_prompt(path, module_name(path), redacted[path],
                                       [f for f in project.static if f.location.path == path],
                                       [f.path for f in project.files], _example_test(project.files),
                                       project.builtin_notes)
        asked = _ask(chain, run, f"{path}: not reviewed", prompt, Review)
        if asked is None:
            continue
        answer, failures = asked
        for bug in answer.output.bugs:
            if (bug.path, bug.line) in project.handled:
                continue  # a built-in recipe already fixed (and proved) what is on that line
            matched = _static_match(bug, project.static)
            if matched is not None and (matched.location.path, matched.location.start_line) in project.handled:
                continue  # the model names a finding a recipe already fixed and proved
            fix = _fix_one(bug, matched, answer, failures, given, secrets, texts, chain, judge, attempts,
                           keep_transcripts, run)
            if fix is not None:
                run.fixes.append(fix)
    return run


def _fix_one(bug: BugFix, matched: Finding | None, answer: Answer, failures: list[ProviderFailure],
             given: dict[str, str], secrets: dict[str, str], texts: dict[str, str], chain: Chain, judge: Judge,
             attempts: int, keep_transcripts: bool, run: ModelRun) -> Fix | None:
    if bug.path not in given:
        return None  # a bug in a file the model was not shown cannot be located, let alone proved
    finding = matched or _finding(bug, texts[bug.path])
    usage, history, model, failed = Usage(), answer.messages, answer.model, list(failures)
    usage.add(answer.usage)
    for attempt in range(1, attempts + 1):
        try:
            candidate = _candidate(bug, finding, given, secrets)
        except EditProblem as exc:  # refused before anything ran
            fix = Fix(finding=finding, status=Status.UNFIXED, engine=ENGINE, reason=str(exc))
            feedback = _scrub(prompts.retry_prompt(str(exc)), secrets)
        else:
            fix = judge(candidate, finding)
            if fix.status is Status.VERIFIED:
                break
            feedback = _scrub(prompts.retry_prompt(fix.reason or "rejected by the verifier", fix.evidence), secrets)
        if attempt == attempts:
            break
        asked = _ask(chain, run, f"{finding.location.path}:{finding.location.start_line}: no retry", feedback, BugFix, history)
        if asked is None:
            break
        again, more = asked
        bug, history, model = again.output, again.messages, again.model
        failed += more
        usage.add(again.usage)
    use = ModelUse(model=model, failed=[ModelFailure(model=f.model, kind=f.kind, detail=f.detail) for f in failed],
                   attempts=attempt, requests=usage.requests, input_tokens=usage.input_tokens,
                   output_tokens=usage.output_tokens, cost_usd=usage.cost_usd,
                   transcript=transcript(history) if keep_transcripts else None)
    return fix.model_copy(update={"evidence": (fix.evidence or Evidence()).model_copy(update={"model": use})})


def _scrub(feedback: str, secrets: dict[str, str]) -> str:
    """What a sandboxed run printed may hold secrets: the file's own (given their placeholders back) or
    ones a test read on this machine. New placeholders are numbered after the file's, so a model that
    echoes one can never have it restored to a secret of the file."""
    for placeholder, secret in secrets.items():
        feedback = feedback.replace(secret, placeholder)
    return redact(feedback, start=len(secrets) + 1, output=True).text


def _ask(chain: Chain, run: ModelRun, context: str, prompt: str, output_type: type, history: list | None = None):
    """The chain's answer and the failures before it; or None, when a spent budget or a chain whose
    every model refused for good stops the run, or a passing outage skips just this `context`."""
    try:
        return chain.ask(prompts.INSTRUCTIONS, prompt, output_type, history)
    except BudgetExhausted as exc:
        run.stopped = str(exc)
    except ChainExhausted as exc:
        if chain.all_refused():
            run.stopped = str(exc)
        else:
            run.skipped.append(f"{context}, {exc}")
    return None


def _candidate(bug: BugFix, finding: Finding, given: dict[str, str], secrets: dict[str, str]) -> Candidate:
    blocks = [b.model_copy(update={"search": restore(b.search, secrets), "replace": restore(b.replace, secrets)})
              for b in bug.edits]
    edits = apply_blocks(blocks, given)
    code = restore(bug.proof_test, secrets)
    _check_proof(code)
    e = bug.explanation
    return Candidate(
        finding_id=finding.id, engine=ENGINE, edits=edits,
        explanation=Explanation(summary=e.summary, impact=e.impact, fix_rationale=e.fix_rationale, references=e.references),
        proof_test=ProofTest(path=f"tests/security/test_provenfix_model_{finding.id[:8]}.py", code=code),
    )


def _check_proof(code: str) -> None:
    """A proof test must exercise the code: reading the source text would 'prove' any edit."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise EditProblem(f"the proof test is not valid Python (line {exc.lineno}: {exc.msg})") from exc
    if not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test") for n in ast.walk(tree)):
        raise EditProblem("the proof test has no test function (def test_...)")
    if re.search(r"getsource|read_text\(|\.py['\"]|open\([^)]*\.py", code):
        raise EditProblem("the proof test reads source code; it must exercise the code's behaviour instead")


def _static_match(bug: BugFix, static: list[Finding]) -> Finding | None:
    """The static finding the model's bug is, by the id it gave or by its line: the fix is then judged
    against that finding (the re-scan must no longer report it), and no second finding is invented."""
    same_file = [f for f in static if f.location.path == bug.path and f.suppressed is None]
    by_id = next((f for f in same_file if f.id == bug.finding_id), None)
    return by_id or next((f for f in same_file if f.location.start_line <= bug.line <= f.location.end_line), None)


def _finding(bug: BugFix, text: str) -> Finding:
    lines = text.splitlines() or [""]
    line = min(max(bug.line, 1), len(lines))
    normalised = re.sub(r"\s+", " ", lines[line - 1]).strip()
    key = f"{RULE_PREFIX}|{bug.path}|{bug.title.strip().lower()}|{normalised}"
    return Finding(
        id=hashlib.sha256(key.encode()).hexdigest()[:16],
        rule_id=f"{RULE_PREFIX}-{bug.cwe}", cwe=bug.cwe, severity=Severity(bug.severity), confidence="medium",
        location=Location(path=bug.path, start_line=line, end_line=line),
        message=bug.title.strip(), detector=ENGINE,
    )


def _has_code(text: str) -> bool:
    """More than a docstring, imports and `__all__`/`__version__`."""
    try:
        body = parse_module(text).body
    except SyntaxError:
        return False  # the scan already said it was skipped
    trivial = (ast.Import, ast.ImportFrom)
    for stmt in body:
        if isinstance(stmt, trivial) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)):
            continue
        if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) and t.id.startswith("__") for t in stmt.targets):
            continue
        return True
    return False


def _example_test(files: list[SourceFile]) -> tuple[str, str] | None:
    tests = [f for f in files if is_test_file(f.path) and f.path.rsplit("/", 1)[-1].startswith("test")]
    conftest = next((f for f in files if f.path.endswith("conftest.py")), None)
    chosen = conftest or (tests[0] if tests else None)
    return (chosen.path, chosen.text[:_EXAMPLE_TEST_CHARS]) if chosen else None
