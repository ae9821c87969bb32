"""`provenfix bench --speed`: every tool timed on the same tree in one run, as separate processes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests._trees import pyproject

CASES = Path(__file__).resolve().parents[1] / "cases"


def test_speed_report_times_every_tool_on_the_same_files(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(CASES / "cmdi-os-system-concat" / "project", tree / "a")
    shutil.copytree(CASES / "sqli-concat-quoted" / "project", tree / "b")
    (tree / "pyproject.toml").write_text(pyproject("tree"))  # two libraries, scanned as one
    result = subprocess.run([sys.executable, "-m", "provenfix", "bench", "--speed", str(tree), "--format", "json"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["files"] == len(list(tree.rglob("*.py")))
    for key in ("parse_s", "provenfix_s", "provenfix_one_process_s", "bandit_s", "rescan_cli_s",
                "first_scan_in_process_s", "rescan_in_process_s"):
        assert report[key] > 0, key
    # One command injection; one SQL injection reached twice: from its own public parameter and
    # through is_registered(), which passes its own on.
    assert report["provenfix_findings"] == 3
    assert report["bandit_findings"] >= 1
    assert report["cores"] >= 1 and report["provenfix_peak_mib"] > 0
    assert set(report["ratios"]) >= {"bandit / provenfix", "provenfix / parse-only",
                                     "first scan / unchanged re-scan (in process)"}
