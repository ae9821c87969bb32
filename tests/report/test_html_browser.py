"""The HTML report of a real `provenfix fix` run, opened in a real headless Chromium.

The project is hostile: a file named like an HTML tag, a comment that closes a script and opens one.
A reader's browser must show them as text, draw the chart, and run nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests._chromium import dump_dom, png_colours, requires_chromium, screenshot

pytestmark = requires_chromium

CASES = Path(__file__).parents[1] / "cases"
HOSTILE_NAME = "<img src=x onerror=alert(1)>.py"
HOSTILE_COMMENT = '    # </script><script>document.title="pwned"</script>\n'
TITLE = "<title>ProvenFix fix report</title>"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | subprocess.CompletedProcess[str]]:
    """One fix run (one finding verified, two unfixed, in the hostile file) and one scan, by the CLI."""
    root = tmp_path_factory.mktemp("html")
    project = root / "proj"
    shutil.copytree(CASES / "cmdi-os-system-concat" / "project", project)
    # A shell pipeline has no argv rewrite: its findings stay unfixed, with a reason.
    shutil.copy(CASES / "cmdi-pipe-unfixed" / "project" / "procwatch" / "processes.py",
                project / "workspace_tools" / HOSTILE_NAME)
    module = project / "workspace_tools" / "workspace.py"
    module.write_text(module.read_text().replace("    status = os.system", HOSTILE_COMMENT + "    status = os.system"))

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "provenfix", *args], capture_output=True, text=True, timeout=300)

    return {"root": root, "fix_html": root / "fix.html", "scan_html": root / "scan.html",
            "fix": cli("fix", str(project), "--format", "html", "-o", str(root / "fix.html")),
            "scan": cli("scan", str(project), "--format", "html", "-o", str(root / "scan.html"))}


def _sections(dom: str) -> list[str]:
    return re.findall(r'<section class="finding .*?</section>', dom, re.S)


def test_fix_report_shows_every_part_and_runs_nothing(run: dict, tmp_path: Path) -> None:
    assert run["fix"].returncode == 1 and "report written" in run["fix"].stderr, run["fix"].stderr  # 2 unfixed
    dom = dump_dom(tmp_path, run["fix_html"])

    assert TITLE in dom  # the payload in the code did not retitle the page
    assert not re.search(r"<(script|img|iframe)\b", dom), "markup from the project became an element"
    assert "&lt;img src=x onerror=alert(1)&gt;.py" in dom  # shown as the file's name
    assert "# &lt;/script&gt;&lt;script&gt;document.title=\"pwned\"&lt;/script&gt;" in dom  # shown as code

    chart = re.search(r'<svg [^>]*class="chart".*?</svg>', dom, re.S)
    assert chart is not None, "no summary chart"
    bars = re.findall(r'<rect [^>]*width="([\d.]+)"[^>]*fill="([^"]+)"', chart.group(0))
    assert {fill for _, fill in bars} == {"#1a7f37", "#bf8700"} and all(float(w) > 50 for w, _ in bars), bars

    sections = _sections(dom)
    assert len(sections) == 3
    verified = [s for s in sections if 'class="finding verified"' in s]
    unfixed = [s for s in sections if 'class="finding unfixed"' in s]
    assert len(verified) == 1 and len(unfixed) == 2
    v = verified[0]
    assert 'href="https://cwe.mitre.org/data/definitions/78.html"' in v
    assert re.search(r'<ol class="flow"><li><span class="kind source">source</span>.*'
                     r'workspace_tools/workspace.py:18.*<span class="kind sink">sink</span>.*workspace.py:21', v)
    assert '<span class="del">-    status = os.system("mkdir -p " + directory)</span>' in v
    assert re.search(r'<span class="add">\+    status = subprocess.run\(\["mkdir", "-p", directory\]', v)
    assert "What was wrong." in v and "Why it matters." in v and "Why the fix works." in v
    assert re.search(r'class="run bad"><b>Original code</b>FAILED \(AssertionError\)', v)
    assert re.search(r'class="run good"><b>Patched code</b>PASSED', v)
    assert "def test_pf_cmd_prepare_workspace_is_not_exploitable" in v  # the proof test's code
    assert "re-scan: clean" in v and "0 broken" in v and "behaviour kept" in v
    for s in unfixed:
        assert "<strong>Unfixed:</strong> the command uses a pipe" in s
        assert "&lt;img src=x onerror=alert(1)&gt;.py:8" in s

    png = screenshot(tmp_path, run["fix_html"], "1200,1400")
    assert png_colours(png) > 200  # text, badges, the chart: not a blank or error page


def test_scan_writes_the_same_report_with_findings_open(run: dict, tmp_path: Path) -> None:
    assert run["scan"].returncode == 1 and "report written" in run["scan"].stderr, run["scan"].stderr
    page = run["scan_html"].read_text(encoding="utf-8")
    assert "<title>ProvenFix scan report</title>" in page
    assert len(_sections(page)) == 3 and page.count('<span class="badge open">open</span>') == 6


def test_policy_stops_a_script_an_escape_would_have_let_in(run: dict, tmp_path: Path) -> None:
    """Defence in depth: a script inside the report does not run; without the policy, it would."""
    page = run["fix_html"].read_text(encoding="utf-8")
    injected = page.replace("<body>", '<body><script>document.title="ran"</script>', 1)
    guarded, bare = tmp_path / "guarded.html", tmp_path / "bare.html"
    guarded.write_text(injected, encoding="utf-8")
    bare.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", injected), encoding="utf-8")
    assert TITLE in dump_dom(tmp_path, guarded)
    assert "<title>ran</title>" in dump_dom(tmp_path, bare)
