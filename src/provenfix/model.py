"""The data that flows through the pipeline: Finding → Candidate → Verdict → Fix.

Pure data: no I/O here. Every model is frozen so a stage can never edit what an
earlier stage produced; the JSON report is these models dumped as they are.
What came out of a sandboxed run (its output, reasons built from it, observed values) is scrubbed
by validators as it enters a model, so no report format can show a secret or a control byte from it.
"""

from __future__ import annotations

import difflib
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from provenfix.scrub import OUTPUT_LINE_CHARS, OUTPUT_LINES, scrub_line, scrub_output, scrub_value

SCHEMA_VERSION = "1.0"

# Text that came out of a sandboxed run, scrubbed as it enters a model (see provenfix.scrub).
RunOutput = Annotated[str, AfterValidator(scrub_output)]
OneLine = Annotated[str, AfterValidator(scrub_line)]  # a reason: may quote a run's output
Observed = Annotated[list[Any], AfterValidator(scrub_value)]  # what the project's code returned, raised, wrote


def _deployment_variable(name: str) -> str:
    """A variable a fix may have the verifier set: an upper-case name, none the interpreter, the loader,
    the shell or ProvenFix reads (whoever wrote the fix, a model or a hostile repository, chose it)."""
    if not re.fullmatch(r"[A-Z][A-Z0-9_]{0,63}", name) or name.startswith(RESERVED_PREFIXES) or name in RESERVED_NAMES:
        raise ValueError(f"not a name a fix may have set in the environment: {name!r}")
    return name


RESERVED_PREFIXES = ("PYTHON", "LD_", "PROVENFIX", "PYTEST", "DYLD_", "LC_", "SSL_", "REQUESTS_", "CURL_", "GIT_")
RESERVED_NAMES = frozenset({"PATH", "HOME", "TMPDIR", "TMP", "TEMP", "SHELL", "USER", "LANG", "TZ", "IFS", "ENV",
                            "BASH_ENV", "PWD", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "DJANGO_SETTINGS_MODULE"})
DeploymentVariable = Annotated[str, AfterValidator(_deployment_variable)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Location(_Frozen):
    path: str = Field(description="POSIX path relative to the workspace root")
    start_line: int
    end_line: int
    start_col: int = 0
    end_col: int = 0
    qualname: str | None = Field(None, description="enclosing function, e.g. 'Repo.find' or 'views.search'")


class FlowStep(_Frozen):
    """One hop of a data flow: where untrusted data came from, how it travelled, where it landed."""

    kind: Literal["source", "step", "sink"]
    path: str
    line: int
    description: str


class EntryPoint(_Frozen):
    """How a proof test reaches the vulnerable code.

    kind="function": call `module.qualname` with `tainted_param` set to the payload.
    kind="route": request `route` through the framework's test client: of the Flask app found at
    `app_factory`/`app_object` (a FastAPI/Starlette app with framework="fastapi"), or
    (framework="django") of the project's Django settings.
    kind="script": run `module` as `python -m module` would (its `if __name__ == "__main__":` block).
    """

    kind: Literal["function", "route", "script"]
    module: str = Field(description="dotted module name, importable from the workspace root")
    qualname: str
    params: list[str] = Field(default_factory=list)
    tainted_param: str | None = None
    is_async: bool = False
    class_name: str | None = None
    # route only
    route: str | None = None
    methods: list[str] = Field(default_factory=list)
    request_field: str | None = Field(None, description="e.g. 'args:name', 'form:comment', 'json:expr', 'view_arg:filename'")
    app_object: str | None = Field(None, description="module-level Flask app variable, e.g. 'app'")
    app_factory: str | None = Field(None, description="factory function returning the app, e.g. 'create_app'")
    app_module: str | None = Field(None, description="module that holds the app (may differ from `module` for blueprints)")
    framework: Literal["flask", "django", "fastapi"] = "flask"
    settings_module: str | None = Field(None, description="Django only: the settings module the test client loads")


class Finding(_Frozen):
    id: str = Field(description="stable fingerprint of rule + path + normalised code")
    rule_id: str
    cwe: int
    severity: Severity
    confidence: Literal["low", "medium", "high"]
    location: Location
    message: str
    evidence: list[FlowStep] = Field(default_factory=list)
    detector: str = "provenfix-flow"
    entry: EntryPoint | None = None
    suppressed: str | None = Field(None, description="the in-source suppression that silences this finding, if any")


class FileEdit(_Frozen):
    path: str
    before: str
    after: str

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


class Explanation(_Frozen):
    summary: str
    impact: str
    fix_rationale: str
    references: list[str] = Field(default_factory=list)


class ProofTest(_Frozen):
    path: str = Field(description="where the test goes in the project, e.g. tests/security/test_pf_cmdi_ab12.py")
    code: str


class Candidate(_Frozen):
    finding_id: str
    engine: str
    edits: list[FileEdit]
    explanation: Explanation
    proof_test: ProofTest
    environment: list[DeploymentVariable] = Field(
        default_factory=list, description="variables the patched code reads from its deployment (a hard-coded credential "
                                          "moved out); the verifier sets each to a generated value in every run")

    def patch(self) -> str:
        return "".join(edit.diff() for edit in self.edits)


class RunResult(_Frozen):
    """One measured pytest run inside the sandbox."""

    outcome: Literal["passed", "failed-assertion", "failed-error", "timeout", "killed", "no-tests"]
    exit_code: int | None
    duration_s: float
    output_tail: RunOutput = Field("", description=f"the run's last lines (at most {OUTPUT_LINES}, each at most "
                                   f"{OUTPUT_LINE_CHARS} characters), secrets redacted, control characters removed")
    tests: dict[str, str] = Field(default_factory=dict, description="test node id → passed|failed|error|skipped")


class ModelFailure(_Frozen):
    model: str = Field(description="PROVIDER:MODEL")
    kind: str = Field(description="authentication, permission, not-found, rate-limited, server-error, timeout, unusable-reply, …")
    detail: OneLine  # a provider's message may quote what it was sent


class ModelUse(_Frozen):
    """Which model produced a fix, which ones failed before it and why, and what it cost."""

    model: str
    failed: list[ModelFailure] = Field(default_factory=list)
    attempts: int = 1
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = Field(None, description="None when the model's price is unknown")
    transcript: list[dict] | None = Field(None, description="the conversation, only with --keep-transcripts")


class BehaviourCheck(_Frozen):
    """The second half of a proof: benign inputs of the exploit's shape, run through the same entry
    point on the original and on the patched code; what each returned, raised and wrote must match."""

    inputs: list[str] = Field(default_factory=list, description="the benign inputs, as Python expressions")
    before: Observed = Field(default_factory=list, description="what each input did on the original code")
    after: Observed = Field(default_factory=list, description="what each input did on the patched code")
    same: bool | None = Field(None, description="None when the check could not be made (see `unavailable`)")
    unavailable: OneLine | None = Field(None, description="why benign behaviour was not compared")


class Evidence(_Frozen):
    proof_before: RunResult | None = None
    proof_after: RunResult | None = None
    suite_before: RunResult | None = None
    suite_after: RunResult | None = None
    broken_tests: list[str] = Field(default_factory=list, description="passed before the patch, not after")
    rescan_clean: bool | None = None
    rescan_new_findings: list[str] = Field(default_factory=list)
    behaviour: BehaviourCheck | None = None
    judged_files: dict[str, str] = Field(default_factory=dict, description="path → sha256 of the UTF-8 text judged")
    combined_with: list[str] = Field(default_factory=list, description="findings whose fixes were judged with this one")
    environment: list[str] = Field(default_factory=list, description="variables set to generated values for the runs "
                                                                     "of the patched code, as its deployment must set them")
    isolation: str = ""
    duration_s: float = 0.0
    model: ModelUse | None = Field(None, description="set when a model wrote the candidate")


class Status(StrEnum):
    VERIFIED = "verified"
    REJECTED = "rejected"
    UNFIXED = "unfixed"


class Verdict(_Frozen):
    status: Status
    evidence: Evidence = Field(default_factory=Evidence)
    reason: OneLine | None = None


class Fix(_Frozen):
    finding: Finding
    status: Status
    engine: str | None = None
    candidate: Candidate | None = None
    evidence: Evidence | None = None
    reason: OneLine | None = None

    def to_report(self) -> dict:
        """The per-fix object of the JSON contract."""
        c = self.candidate
        return {
            "finding_id": self.finding.id,
            "status": self.status.value,
            "engine": self.engine,
            "patch": c.patch() if c else None,
            "explanation": c.explanation.model_dump() if c else None,
            "proof_test": c.proof_test.model_dump() if c else None,
            "evidence": self.evidence.model_dump() if self.evidence else None,
            "reason": self.reason,
        }


class PatchVerdict(_Frozen):
    """What `verify` says of a patch written elsewhere (a coding agent's) and the proof test written for it."""

    findings: list[Finding] = Field(default_factory=list, description="the findings it was judged against: "
                                                                      "the re-scan must no longer report them")
    edits: list[FileEdit]
    proof_test: ProofTest
    verdict: Verdict

    def to_report(self) -> dict:
        """Shaped like a fix of the JSON report; `finding_ids` (possibly none) instead of one `finding_id`."""
        return {
            "status": self.verdict.status.value,
            "reason": self.verdict.reason,
            "finding_ids": [f.id for f in self.findings],
            "patch": "".join(e.diff() for e in self.edits),
            "proof_test": self.proof_test.model_dump(),
            "evidence": self.verdict.evidence.model_dump(mode="json"),
        }


class ModelRunSummary(_Frozen):
    chain: list[str]
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float | None = None
    stopped: str | None = Field(None, description="why the model engine stopped before the end, if it did")
    skipped: list[str] = Field(default_factory=list, description="files or retries no model could serve, and why")

    @property
    def complete(self) -> bool:
        return self.stopped is None and not self.skipped


class Report(_Frozen):
    target: str
    findings: list[Finding]
    fixes: list[Fix] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    applied: list[str] = Field(default_factory=list, description="files written by --apply")
    models: ModelRunSummary | None = Field(None, description="set when a model engine ran")
    baselined: int = Field(0, description="findings left out because the --baseline lists them")
    command: Literal["scan", "fix"] = Field("scan", description="what made it: a fix run with nothing to fix is still one")

    def to_json_dict(self, version: str) -> dict:
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "provenfix", "version": version},
            "target": self.target,
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "fixes": [f.to_report() for f in self.fixes],
            "warnings": self.warnings,
            "applied": self.applied,
            "models": self.models.model_dump() if self.models else None,
        }
