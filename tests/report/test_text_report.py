from __future__ import annotations

import re

from provenfix.model import Finding, Location, Report, Severity
from provenfix.report.text import render_text

from .conftest import VERSION

ANSI = re.compile(r"\x1b\[")


def test_plain_text_has_no_ansi_escapes(fix_report: Report) -> None:
    out = render_text(fix_report, version=VERSION, color=False)
    assert not ANSI.search(out)


def test_color_text_has_ansi_escapes(fix_report: Report) -> None:
    assert ANSI.search(render_text(fix_report, version=VERSION, color=True))


def test_finding_shows_rule_severity_location_message_and_flow(fix_report: Report) -> None:
    out = render_text(fix_report, version=VERSION, width=200)
    assert "PF-CMD [high]  app/net.py:5 (ping)  CWE-78" in out
    assert "Request data reaches a shell command | via string concatenation" in out
    assert (
        "flow: request.args['host'] (app/views.py:12) → parameter host (line 4)"
        " → subprocess.run(..., shell=True) (line 5)"
    ) in out


def test_verified_fix_shows_diff_explanation_proof_and_evidence(fix_report: Report) -> None:
    out = render_text(fix_report, version=VERSION, width=200)
    assert "[VERIFIED] by builtin" in out
    assert '+    return subprocess.run("ping -c 1 " + shlex.quote(host), shell=True)' in out
    assert "+import shlex" in out
    assert "summary: The host name is pasted into a shell command line." in out
    assert "impact: Anyone who can call /ping" in out
    assert "why the fix works: shlex.quote makes the host a single shell word" in out
    assert "references: https://cwe.mitre.org/data/definitions/78.html, OWASP A03:2021 Injection" in out
    assert "proof test: tests/security/test_pf_cmd_3f2a9c.py" in out
    assert "    assert not marker.exists()" in out
    assert "proof test: FAILED on original (AssertionError) → PASSED on patched" in out
    assert "suite: 12 passed before, 12 after, 0 broken" in out
    assert "re-scan: clean" in out
    assert "isolation: subprocess + tmp copy" in out
    assert "duration: 4.2s" in out or "duration: 4.3s" in out


def test_rejected_and_unfixed_show_reasons(fix_report: Report) -> None:
    out = render_text(fix_report, version=VERSION, width=200)
    assert "[REJECTED] by llm:fake" in out
    assert "reason: proof test failed with ImportError on the original code, not an assertion" in out
    assert "proof test: ERRORED on original (error, not an assertion) → not run on patched" in out
    assert "[UNFIXED]" in out
    assert "reason: no engine produced a candidate" in out


def test_suppressed_listed_briefly_and_not_counted_as_open(fix_report: Report) -> None:
    out = render_text(fix_report, version=VERSION, width=200)
    assert "Suppressed (not counted as open):" in out
    assert "PF-RAND app/tokens.py:8: provenfix: ignore[PF-RAND] only used for test fixtures" in out
    assert "random.choice used for a token" not in out  # brief: no full entry for it
    assert out.rstrip().endswith("3 findings: 1 verified, 1 rejected, 1 unfixed; 1 suppressed")


def test_warnings_are_shown(fix_report: Report) -> None:
    out = render_text(fix_report, version=VERSION, width=200)
    assert "Warnings:" in out
    assert "app/legacy.py: could not be parsed (SyntaxError), skipped" in out


def test_scan_summary_counts_by_severity(scan_report: Report) -> None:
    out = render_text(scan_report, version=VERSION)
    assert f"ProvenFix {VERSION} · scan of shop" in out
    assert out.rstrip().endswith("4 findings (1 critical, 2 high, 1 medium)")
    assert "[VERIFIED]" not in out


def test_code_lines_never_wrap(fix_report: Report) -> None:
    out = render_text(fix_report, version=VERSION, width=40)
    assert '+    return subprocess.run("ping -c 1 " + shlex.quote(host), shell=True)' in out.splitlines()
    assert "def test_ping_does_not_run_injected_command(tmp_path):" in out.splitlines()


def test_prose_wraps_to_width_under_its_indent(scan_report: Report) -> None:
    lines = render_text(scan_report, version=VERSION, width=40).splitlines()
    assert all(len(line) <= 40 for line in lines)
    message_at = lines.index("   Request data reaches a shell command")
    assert lines[message_at + 1] == "   | via string concatenation"


def test_rich_markup_in_messages_is_printed_literally() -> None:
    finding = Finding(
        id="x",
        rule_id="PF-CODE",
        cwe=95,
        severity=Severity.HIGH,
        confidence="high",
        location=Location(path="a.py", start_line=1, end_line=1),
        message="eval of [bold]request[/bold] data :smile:",
    )
    out = render_text(Report(target=".", findings=[finding]), version=VERSION)
    assert "eval of [bold]request[/bold] data :smile:" in out


def test_empty_scan_says_zero_findings() -> None:
    out = render_text(Report(target=".", findings=[]), version=VERSION)
    assert out.rstrip().endswith("0 findings")
