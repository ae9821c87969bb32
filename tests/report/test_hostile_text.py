"""Text from the scanned project or a model that no run scrubbed (a finding's message, a file name, a
patch, an explanation) reaches every format without raw control bytes, and is never read as Rich markup."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from provenfix.model import (
    Candidate,
    Explanation,
    FileEdit,
    Finding,
    Fix,
    Location,
    ProofTest,
    Report,
    Severity,
    Status,
)
from provenfix.report import render
from provenfix.report.text import render_text

from .conftest import VERSION

BYTES = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e\u2066\x08\r"
MARKUP = "[link=https://evil.example/]click[/link] [red]alarm[/red]"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # the colours Rich itself writes with color=True


def _raw_controls(text: str) -> set[str]:
    return {c for c in text if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")}


@pytest.fixture
def hostile_report() -> Report:
    before = f'import os\n\ndef usage(path):\n    return os.system("du {BYTES}" + path)\n'
    after = f'import subprocess\n\ndef usage(path):\n    return subprocess.run(["du", "{BYTES}", path]).returncode\n'
    finding = Finding(id="f1", rule_id="PF-CMD", cwe=78, severity=Severity.HIGH, confidence="high",
                      location=Location(path=f"tools/di{BYTES}sk.py", start_line=4, end_line=4, qualname="usage"),
                      message=f"{MARKUP} shell {BYTES}", suppressed=None)
    candidate = Candidate(
        finding_id="f1", engine="llm", edits=[FileEdit(path=f"tools/di{BYTES}sk.py", before=before, after=after)],
        explanation=Explanation(summary=f"{MARKUP} {BYTES}", impact=BYTES, fix_rationale=MARKUP, references=[BYTES]),
        proof_test=ProofTest(path="tests/security/test_x.py", code=f"def test_x():\n    print('{BYTES}')\n"),
    )
    fix = Fix(finding=finding, status=Status.VERIFIED, engine="llm", candidate=candidate)
    return Report(target=f"proj{BYTES}", findings=[finding], fixes=[fix], warnings=[f"{MARKUP} {BYTES}"])


@pytest.mark.parametrize("color", [False, True])
def test_text_shows_controls_escaped_and_markup_literally(hostile_report: Report, color: bool) -> None:
    out = render_text(hostile_report, version=VERSION, color=color, width=200)
    assert not _raw_controls(SGR.sub("", out)), sorted(map(repr, _raw_controls(SGR.sub("", out))))
    assert "\\x1b]0;pwned\\x07" in out and "\\u202e" in out  # shown, so the reader knows they were there
    plain = SGR.sub("", out)
    assert MARKUP in plain  # read as text, not as a link or a colour
    assert "\x1b]8;" not in out


@pytest.mark.parametrize("fmt", ["markdown", "html", "json", "sarif"])
def test_other_formats_carry_no_raw_control(hostile_report: Report, fmt: str) -> None:
    out = render(hostile_report, fmt, version=VERSION)
    assert not _raw_controls(out), sorted(map(repr, _raw_controls(out)))
    if fmt == "json":  # escaped in the file, not changed: a program reading it gets what the project holds
        data = json.loads(out)
        assert data["findings"][0]["message"] == hostile_report.findings[0].message
        assert BYTES in data["fixes"][0]["patch"]
