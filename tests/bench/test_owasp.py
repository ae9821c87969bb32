"""`provenfix bench --owasp`: the Benchmark's scoring, on a small checkout of the same shape made here."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROUTE = '''\
import os, random, secrets
from flask import request, session

def init(app):
    @app.route("/benchmark/{name}", methods=["POST"])
    def {name}_post():
        param = request.form.get("{name}")
{body}
'''
CASES = {  # name: (category, really vulnerable, CWE, the route's body)
    "BenchmarkTest00001": ("cmdi", True, 78, 'os.system("echo " + param)'),
    "BenchmarkTest00002": ("cmdi", False, 78, 'bar = "safe" if 7 * 18 + 106 > 200 else param\nos.system("echo " + bar)'),
    "BenchmarkTest00003": ("codeinj", True, 94, "return str(eval(param))"),
    "BenchmarkTest00004": ("codeinj", False, 94, 'if not param.isdigit():\n    return "no"\nreturn str(eval(param))'),
    "BenchmarkTest00005": ("weakrand", True, 330, 'value = str(random.random())\nsession["remember"] = value'),
    "BenchmarkTest00006": ("weakrand", False, 330, 'value = secrets.token_hex(16)\nsession["remember"] = value'),
}


def checkout(root: Path) -> Path:
    (root / "testcode").mkdir(parents=True)
    rows = ["# test name, category, real vulnerability, cwe, Benchmark version: 0.1, 2025-11-5"]
    for name, (category, real, cwe, body) in CASES.items():
        rows.append(f"{name},{category},{str(real).lower()},{cwe}")
        code = ROUTE.replace("{name}", name).replace("{body}", textwrap.indent(body, " " * 8))
        (root / "testcode" / f"{name}.py").write_text(code)
    (root / "expectedresults-0.1.csv").write_text("\n".join(rows) + "\n")
    return root


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "provenfix", "bench", *args], capture_output=True, text=True, timeout=300)


def test_each_tool_is_scored_per_category_the_benchmark_way(tmp_path: Path) -> None:
    result = bench("--owasp", str(checkout(tmp_path / "BenchmarkPython")), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["cases"] == 6 and report["claimed"] == ["cmdi", "codeinj", "weakrand"]
    ours = report["tools"]["ProvenFix"]
    for category in ("cmdi", "codeinj", "weakrand"):  # each true case found, each false one not
        assert ours["categories"][category] == {"tp": 1, "fn": 0, "tn": 1, "fp": 0, "tpr": 1.0, "fpr": 0.0, "score": 1.0}
    assert ours["mean_claimed"]["score"] == 1.0 and ours["skipped"] == []
    bandit = report["tools"]["Bandit"]["categories"]
    # Bandit flags every os.system (the folded branch too), maps eval to CWE-78 (not code injection)
    # and flags random but not secrets.
    assert bandit["cmdi"] == {"tp": 1, "fn": 0, "tn": 0, "fp": 1, "tpr": 1.0, "fpr": 1.0, "score": 0.0}
    assert bandit["codeinj"]["tp"] == 0 and bandit["codeinj"]["fn"] == 1
    assert bandit["weakrand"] == {"tp": 1, "fn": 0, "tn": 1, "fp": 0, "tpr": 1.0, "fpr": 0.0, "score": 1.0}


def test_the_markdown_table_shows_both_tools_and_the_means(tmp_path: Path) -> None:
    result = bench("--owasp", str(checkout(tmp_path / "b")))
    assert result.returncode == 0, result.stderr
    assert "| cmdi | yes | 100% | 0% | 100% | 100% | 100% | 0% |" in result.stdout
    assert "| **mean, claimed** | | 100% | 0% | 100% |" in result.stdout


def test_a_folder_that_is_not_a_benchmark_checkout_is_a_one_line_error(tmp_path: Path) -> None:
    result = bench("--owasp", str(tmp_path))
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [f"provenfix: error: {tmp_path.resolve()}: not a BenchmarkPython checkout (no expectedresults-0.1.csv)"]
    assert "Traceback" not in result.stderr
