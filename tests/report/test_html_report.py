from __future__ import annotations

import re

from provenfix.model import FileEdit, Report
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
    assert "fixed by builtin" in out and "tried by llm:fake" in out
    assert "provenfix: ignore[PF-RAND] only used for test fixtures" in out
    assert "app/legacy.py: could not be parsed (SyntaxError), skipped" in out


def test_scan_report_marks_findings_open(scan_report: Report) -> None:
    out = render_html(scan_report, version=VERSION)
    assert "<title>ProvenFix scan report</title>" in out
    assert out.count('<span class="badge open">open</span>') == 2 * len(scan_report.findings)
