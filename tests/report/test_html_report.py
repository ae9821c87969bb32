from __future__ import annotations

import base64
import hashlib
import re

from provenfix.model import Evidence, FileEdit, Fix, Report, RunResult, Status
from provenfix.report.html import render_html

from .conftest import VERSION


def _with_script_in_code(report: Report) -> Report:
    fix = report.fixes[0]
    assert fix.candidate is not None
    edit = FileEdit(path="app/page.py", before="html = '<script>alert(1)</script>'\n", after="html = ''\n")
    candidate = fix.candidate.model_copy(update={"edits": [edit]})
    return report.model_copy(update={"fixes": [fix.model_copy(update={"candidate": candidate}), *report.fixes[1:]]})


def test_code_from_the_project_is_escaped(fix_report: Report) -> None:
    out = render_html(_with_script_in_code(fix_report), version=VERSION)
    assert "<script" not in out.lower()
    assert "-html = &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;" in out
    assert "User input formatted into SQL &lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_self_contained_without_external_assets(fix_report: Report) -> None:
    out = render_html(fix_report, version=VERSION)
    assert out.startswith("<!DOCTYPE html>")
    assert "<style>" in out
    assert not re.search(r"<(link|script|img|iframe)\b", out)
    assert "src=" not in out and "@import" not in out


def test_same_content_as_markdown(fix_report: Report) -> None:
    out = render_html(fix_report, version=VERSION)
    assert "3 findings: 1 verified, 1 rejected, 1 unfixed; 1 suppressed" in out
    assert '<span class="badge verified">verified</span>' in out
    assert '<span class="badge rejected">rejected</span>' in out
    assert '<span class="add">+import shlex</span>' in out
    assert '<span class="del">-    return subprocess.run(&quot;ping -c 1 &quot; + host, shell=True)</span>' in out
    assert "Anyone who can call /ping can run any command as the web server." in out
    assert "Proof test <code>tests/security/test_pf_cmd_3f2a9c.py</code>" in out
    assert "    assert not marker.exists()" in out
    assert "<li>proof test: FAILED on original (AssertionError) → PASSED on patched</li>" in out
    assert "<li>suite: 12 passed before, 12 after, 0 broken</li>" in out
    assert "<li>re-scan: clean</li>" in out
    assert "proof test failed with ImportError on the original code, not an assertion" in out
    assert "no engine produced a candidate" in out
    assert "<dt>Fixed by</dt><dd>builtin</dd>" in out and "<dt>Tried by</dt><dd>llm:fake</dd>" in out
    assert "provenfix: ignore[PF-RAND] only used for test fixtures" in out
    assert "app/legacy.py: could not be parsed (SyntaxError), skipped" in out


def test_scan_report_marks_findings_open(scan_report: Report) -> None:
    out = render_html(scan_report, version=VERSION)
    assert "<title>ProvenFix scan report</title>" in out
    assert out.count('<span class="badge open">open</span>') == 2 * len(scan_report.findings)


def test_policy_allows_exactly_its_own_stylesheet(fix_report: Report) -> None:
    out = render_html(fix_report, version=VERSION)
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', out)
    assert policy is not None
    style = re.search(r"<style>(.*?)</style>", out, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert policy.group(1).split("; ") == [
        "default-src 'none'", f"style-src 'sha256-{digest}'", "base-uri 'none'", "form-action 'none'"]
    assert "style=" not in out  # an inline style attribute would be refused by that policy


def test_summary_counts_and_chart(fix_report: Report) -> None:
    out = render_html(fix_report, version=VERSION)
    cards = re.findall(r'<div class="card[^"]*"><b>(\d+)</b>(\w+)</div>', out)
    assert cards == [("3", "findings"), ("1", "verified"), ("1", "rejected"), ("1", "unfixed"), ("1", "suppressed")]
    chart = re.search(r'<svg [^>]*class="chart".*?</svg>', out, re.S)
    assert chart is not None
    # By severity: critical, high, medium; by rule: three rules; one segment each, coloured by verdict.
    titles = re.findall(r"<rect [^>]*><title>([^<]+)</title></rect>", chart.group(0))
    assert titles == ["critical: 1 rejected", "high: 1 verified", "medium: 1 unfixed",
                      "PF-CMD: 1 verified", "PF-SQL: 1 rejected", "PF-YAML: 1 unfixed"]
    assert "PF-RAND" not in chart.group(0)  # suppressed findings are not counted
    assert '<a href="#f-1">' in out and 'id="f-1"' in out and 'id="f-4"' not in out


def test_scan_chart_is_by_severity(scan_report: Report) -> None:
    out = render_html(scan_report, version=VERSION)
    cards = re.findall(r'<div class="card[^"]*"><b>(\d+)</b>(\w+)</div>', out)
    assert cards == [("4", "findings"), ("1", "critical"), ("2", "high"), ("1", "medium"), ("0", "low")]
    assert 'fill="#82071e"><title>PF-SQL: 1 critical</title>' in out
    assert "Reason" not in out and "Unfixed:" not in out


def test_flow_steps_and_cwe_link(fix_report: Report) -> None:
    out = render_html(fix_report, version=VERSION)
    assert ('<ol class="flow"><li><span class="kind source">source</span> request.args[&#x27;host&#x27;] '
            '<code class="at">app/views.py:12</code></li>') in out
    assert '<span class="kind sink">sink</span> subprocess.run(..., shell=True) <code class="at">app/net.py:5</code>' in out
    assert '<a href="https://cwe.mitre.org/data/definitions/89.html" rel="noreferrer">CWE-89</a>' in out
    assert re.search(r'class="run bad"><b>Original code</b>FAILED \(AssertionError\)<small>the exploit works', out)
    assert re.search(r'class="run good"><b>Patched code</b>PASSED<small>the exploit is blocked', out)


def test_rejected_candidate_is_shown_without_claiming_a_proof(fix_report: Report) -> None:
    rejected = fix_report.fixes[1]
    verified = fix_report.fixes[0].candidate
    assert verified is not None
    tried = Fix(finding=rejected.finding, status=Status.REJECTED, engine="llm:fake",
                candidate=verified.model_copy(update={"finding_id": rejected.finding.id}),
                evidence=Evidence(proof_before=RunResult(outcome="passed", exit_code=0, duration_s=0.1,
                                                         output_tail="1 passed <b>in</b> 0.1s")),
                reason="the proof test passed on the original code: it does not show the bug")
    out = render_html(fix_report.model_copy(update={"fixes": [fix_report.fixes[0], tried]}), version=VERSION)
    section = re.search(r'<section class="finding rejected".*?</section>', out, re.S)
    assert section is not None
    s = section.group(0)
    assert "<strong>Rejected:</strong> the proof test passed on the original code" in s
    assert "<summary>The rejected candidate: patch and proof test</summary>" in s
    assert '<div class="run"><b>Original code</b>PASSED</div>' in s  # not marked as the wanted outcome
    assert '<div class="run"><b>Patched code</b>not run</div>' in s
    assert "1 passed &lt;b&gt;in&lt;/b&gt; 0.1s" in s
    assert "What was wrong." not in s  # a rejected candidate's explanation is not presented as the answer


def test_only_web_addresses_become_links(fix_report: Report) -> None:
    fix = fix_report.fixes[0]
    assert fix.candidate is not None
    refs = ["javascript:alert(1)", 'https://example.org/"onmouseover="x', "https://owasp.org/Top10/"]
    explanation = fix.candidate.explanation.model_copy(update={"references": refs})
    candidate = fix.candidate.model_copy(update={"explanation": explanation})
    report = fix_report.model_copy(update={"fixes": [fix.model_copy(update={"candidate": candidate})]})
    out = render_html(report, version=VERSION)
    assert "<li>javascript:alert(1)</li>" in out and 'href="javascript' not in out
    assert "<li>https://example.org/&quot;onmouseover=&quot;x</li>" in out
    assert '<a href="https://owasp.org/Top10/" rel="noreferrer">https://owasp.org/Top10/</a>' in out


def test_backquoted_names_are_code_and_still_escaped(fix_report: Report) -> None:
    finding = fix_report.findings[2].model_copy(update={"message": "calls `yaml.load(<b>x</b>)` on input"})
    out = render_html(fix_report.model_copy(update={"findings": [finding]}), version=VERSION)
    assert "calls <code>yaml.load(&lt;b&gt;x&lt;/b&gt;)</code> on input" in out
