from __future__ import annotations

from provenfix.model import Report
from provenfix.report.markdown import code_span, escape, fenced, render_markdown, table_cell

from .conftest import VERSION


def test_pr_body_has_title_table_and_verified_section(fix_report: Report) -> None:
    out = render_markdown(fix_report, version=VERSION)
    assert out.startswith("# ProvenFix: 1 verified security fix\n")
    assert "3 findings: 1 verified, 1 rejected, 1 unfixed; 1 suppressed" in out
    assert "| Finding | Rule | Location | Status |" in out
    assert (
        "| Request data reaches a shell command \\| via string concatenation "
        "| PF-CMD (CWE-78, high) | `app/net.py:5 (ping)` | ✅ verified |"
    ) in out
    assert "| `app/tokens.py:8` | 🔕 suppressed |" in out
    assert "**Why it matters.** Anyone who can call /ping can run any command as the web server." in out
    assert "**Why the fix works.** shlex.quote makes the host a single shell word" in out


def test_diff_and_proof_test_are_fenced(fix_report: Report) -> None:
    out = render_markdown(fix_report, version=VERSION)
    patch = fix_report.fixes[0].candidate.patch()  # type: ignore[union-attr]
    assert "```diff\n" + patch.rstrip("\n") + "\n```" in out
    proof = fix_report.fixes[0].candidate.proof_test.code  # type: ignore[union-attr]
    assert "### Proof test `tests/security/test_pf_cmd_3f2a9c.py`" in out
    assert "```python\n" + proof.rstrip("\n") + "\n```" in out


def test_evidence_lines_listed(fix_report: Report) -> None:
    out = render_markdown(fix_report, version=VERSION)
    assert "- proof test: FAILED on original (AssertionError) → PASSED on patched" in out
    assert "- suite: 12 passed before, 12 after, 0 broken" in out
    assert "- re-scan: clean" in out
    assert "- isolation: subprocess + tmp copy" in out


def test_rejected_and_unfixed_listed_with_reason(fix_report: Report) -> None:
    out = render_markdown(fix_report, version=VERSION)
    assert "## Not fixed" in out
    assert (
        "- **PF-SQL** `app/db.py:20 (Repo.find)`: rejected: "
        "proof test failed with ImportError on the original code, not an assertion"
    ) in out
    assert "- **PF-YAML** `app/config.py:3 (load)`: unfixed: no engine produced a candidate" in out
    assert "## ✅ PF-SQL" not in out


def test_finding_text_cannot_inject_html_or_formatting(fix_report: Report) -> None:
    out = render_markdown(fix_report, version=VERSION)
    assert "<script>" not in out
    assert escape("__init__ <b>") == "\\_\\_init\\_\\_ \\<b\\>"


def test_scan_body_lists_open_findings(scan_report: Report) -> None:
    out = render_markdown(scan_report, version=VERSION)
    assert out.startswith("# ProvenFix scan: 4 open findings\n")
    assert "🔎 open" in out
    assert "## Findings" in out
    assert "## Not fixed" not in out


def test_table_cell_escapes_pipes_once_and_joins_lines() -> None:
    assert table_cell("a | b\nc") == "a \\| b c"
    assert table_cell("a \\| b") == "a \\| b"


def test_fences_outgrow_backticks_in_code() -> None:
    lines = fenced('doc = """\n```\nx\n```\n"""\n', "python")
    assert lines[0] == "````python" and lines[-1] == "````"
    assert code_span("a`b") == "``a`b``"
