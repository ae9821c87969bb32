"""Reports built from real model objects: one fix run covering every status, one scan."""

from __future__ import annotations

import pytest

from provenfix.model import (
    Candidate,
    Evidence,
    Explanation,
    FileEdit,
    Finding,
    Fix,
    FlowStep,
    Location,
    ProofTest,
    Report,
    RunResult,
    Severity,
    Status,
)

VERSION = "9.8.7"
TARGET = "/srv/shop"

PING_BEFORE = """import subprocess


def ping(host):
    return subprocess.run("ping -c 1 " + host, shell=True)
"""

PING_AFTER = """import shlex
import subprocess


def ping(host):
    return subprocess.run("ping -c 1 " + shlex.quote(host), shell=True)
"""

PROOF_CODE = """from app.net import ping


def test_ping_does_not_run_injected_command(tmp_path):
    marker = tmp_path / "pwned"
    ping("127.0.0.1; touch " + str(marker))
    assert not marker.exists()
"""


def _suite(passed: int) -> RunResult:
    tests = {f"tests/test_app.py::test_{i}": "passed" for i in range(passed)}
    return RunResult(outcome="passed", exit_code=0, duration_s=1.5, tests=tests)


@pytest.fixture
def cmd_finding() -> Finding:
    return Finding(
        id="pf-cmd-3f2a9c",
        rule_id="PF-CMD",
        cwe=78,
        severity=Severity.HIGH,
        confidence="high",
        location=Location(path="app/net.py", start_line=5, end_line=5, start_col=11, end_col=70, qualname="ping"),
        message="Request data reaches a shell command | via string concatenation",
        evidence=[
            FlowStep(kind="source", path="app/views.py", line=12, description="request.args['host']"),
            FlowStep(kind="step", path="app/net.py", line=4, description="parameter host"),
            FlowStep(kind="sink", path="app/net.py", line=5, description="subprocess.run(..., shell=True)"),
        ],
        detector="provenfix-flow",
    )


@pytest.fixture
def verified_fix(cmd_finding: Finding) -> Fix:
    candidate = Candidate(
        finding_id=cmd_finding.id,
        engine="builtin",
        edits=[FileEdit(path="app/net.py", before=PING_BEFORE, after=PING_AFTER)],
        explanation=Explanation(
            summary="The host name is pasted into a shell command line.",
            impact="Anyone who can call /ping can run any command as the web server.",
            fix_rationale="shlex.quote makes the host a single shell word, so ; and $() are inert.",
            references=["https://cwe.mitre.org/data/definitions/78.html", "OWASP A03:2021 Injection"],
        ),
        proof_test=ProofTest(path="tests/security/test_pf_cmd_3f2a9c.py", code=PROOF_CODE),
    )
    evidence = Evidence(
        proof_before=RunResult(outcome="failed-assertion", exit_code=1, duration_s=0.4),
        proof_after=RunResult(outcome="passed", exit_code=0, duration_s=0.3),
        suite_before=_suite(12),
        suite_after=_suite(12),
        rescan_clean=True,
        isolation="subprocess + tmp copy",
        duration_s=4.25,
    )
    return Fix(finding=cmd_finding, status=Status.VERIFIED, engine="builtin", candidate=candidate, evidence=evidence)


@pytest.fixture
def sql_finding() -> Finding:
    return Finding(
        id="pf-sql-77aa01",
        rule_id="PF-SQL",
        cwe=89,
        severity=Severity.CRITICAL,
        confidence="medium",
        location=Location(path="app/db.py", start_line=20, end_line=21, qualname="Repo.find"),
        message="User input formatted into SQL <script>alert(1)</script>",
    )


@pytest.fixture
def yaml_finding() -> Finding:
    return Finding(
        id="pf-yaml-0b0b0b",
        rule_id="PF-YAML",
        cwe=502,
        severity=Severity.MEDIUM,
        confidence="high",
        location=Location(path="app/config.py", start_line=3, end_line=3, qualname="load"),
        message="yaml.load without SafeLoader",
    )


@pytest.fixture
def suppressed_finding() -> Finding:
    return Finding(
        id="pf-rand-5e5e5e",
        rule_id="PF-RAND",
        cwe=330,
        severity=Severity.LOW,
        confidence="low",
        location=Location(path="app/tokens.py", start_line=8, end_line=8),
        message="random.choice used for a token",
        suppressed="provenfix: ignore[PF-RAND] only used for test fixtures",
    )


@pytest.fixture
def fix_report(
    cmd_finding: Finding,
    verified_fix: Fix,
    sql_finding: Finding,
    yaml_finding: Finding,
    suppressed_finding: Finding,
) -> Report:
    rejected = Fix(
        finding=sql_finding,
        status=Status.REJECTED,
        engine="llm:fake",
        evidence=Evidence(proof_before=RunResult(outcome="failed-error", exit_code=2, duration_s=0.2)),
        reason="proof test failed with ImportError on the original code, not an assertion",
    )
    unfixed = Fix(finding=yaml_finding, status=Status.UNFIXED, reason="no engine produced a candidate")
    return Report(
        target=TARGET,
        findings=[cmd_finding, sql_finding, yaml_finding, suppressed_finding],
        fixes=[verified_fix, rejected, unfixed],
        warnings=["app/legacy.py: could not be parsed (SyntaxError), skipped"],
    )


@pytest.fixture
def scan_report(cmd_finding: Finding, sql_finding: Finding, yaml_finding: Finding) -> Report:
    bandit = Finding(
        id="b602-1234",
        rule_id="B602",
        cwe=78,
        severity=Severity.HIGH,
        confidence="medium",
        location=Location(path="./scripts\\deploy.py", start_line=2, end_line=2),
        message="subprocess call with shell=True identified",
        detector="bandit",
    )
    return Report(target="shop", findings=[cmd_finding, sql_finding, yaml_finding, bandit])
