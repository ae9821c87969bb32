"""The benchmark's HTML report in a real headless Chromium: it loads offline and draws its chart."""

from __future__ import annotations

import re
from pathlib import Path

from provenfix.bench.bandit import detection_rows
from provenfix.bench.render import render_html
from provenfix.bench.run import BenchResult, CaseResult
from tests._chromium import chromium as _chromium, requires_chromium

pytestmark = requires_chromium


def _result() -> BenchResult:
    rows = [CaseResult("cmd-a", "PF-CMD", "fixed", "builtin", True, True, True, True, True, False, 0, 1.0),
            CaseResult("sql-a", "PF-SQL", "fixed", "builtin", True, True, True, True, True, False, 0, 1.0),
            CaseResult("sql-b", "PF-SQL", "unfixed", "builtin", True, False, False, False, True, False, 0, 1.0, "x"),
            CaseResult("safe", "", "safe", "builtin", False, False, False, None, None, False, 0, 0.5)]
    det = detection_rows([], {"provenfix": {}, "bandit": {}}, rules=["PF-CMD", "PF-SQL"])
    return BenchResult(suite="suite", cases=rows, detection=det, seconds=3.5)


def test_report_renders_its_chart_in_headless_chromium(tmp_path: Path) -> None:
    page = tmp_path / "bench.html"
    page.write_text(render_html(_result()), encoding="utf-8")

    dom = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    svg = re.search(r"<svg.*?</svg>", dom.stdout, re.S)
    assert svg is not None, "no chart in the rendered page"
    bars = re.findall(r'<rect[^>]*height="([\d.]+)"', svg.group(0))
    assert len(bars) >= 4 and any(float(h) > 20 for h in bars), bars  # drawn bars, not empty ones
    assert "PF-CMD" in svg.group(0) and "PF-SQL" in svg.group(0)

    shot = tmp_path / "bench.png"
    taken = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", page.as_uri())
    assert taken.returncode == 0 and shot.exists(), taken.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
