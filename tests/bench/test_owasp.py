"""`provenfix bench --owasp`: the Benchmark's scoring, on a small checkout of the same shape made here."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROUTE = '''\
import hashlib, os, random, secrets
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
    # ProvenFix has no weak-hash rule: a category it does not claim, in the "all" means only
    "BenchmarkTest00007": ("hash", True, 328, "return hashlib.md5(param.encode()).hexdigest()"),
    "BenchmarkTest00008": ("hash", False, 328, "return hashlib.sha256(param.encode()).hexdigest()"),
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


def rates(tp: int, fn: int, tn: int, fp: int) -> dict:
    tpr, fpr = tp / (tp + fn), fp / (fp + tn)
    return {"tp": tp, "fn": fn, "tn": tn, "fp": fp, "tpr": round(tpr, 4), "fpr": round(fpr, 4), "score": round(tpr - fpr, 4)}


def test_each_tool_is_scored_per_category_the_benchmark_way(tmp_path: Path) -> None:
    result = bench("--owasp", str(checkout(tmp_path / "BenchmarkPython")), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["cases"] == 8 and report["claimed"] == ["cmdi", "codeinj", "weakrand"]

    ours = report["tools"]["ProvenFix"]
    assert ours["categories"] == {"cmdi": rates(1, 0, 1, 0), "codeinj": rates(1, 0, 1, 0),
                                  "weakrand": rates(1, 0, 1, 0), "hash": rates(0, 1, 1, 0)}
    assert ours["skipped"] == []
    assert (ours["mean_claimed"]["tpr"], ours["mean_claimed"]["fpr"], ours["mean_claimed"]["score"]) == (1.0, 0.0, 1.0)
    assert (ours["mean_all"]["tpr"], ours["mean_all"]["fpr"], ours["mean_all"]["score"]) == (0.75, 0.0, 0.75)

    bandit = report["tools"]["Bandit"]
    # Bandit 1.9, as run on these files: B605 flags every os.system, the constant-folded branch too
    # (CWE-78); B307 flags eval with CWE-78, not code injection, so no codeinj case is flagged;
    # B311 flags random (CWE-330) but not secrets; B324 flags md5 (CWE-327, accepted for 328), not sha256.
    assert bandit["categories"] == {"cmdi": rates(1, 0, 0, 1), "codeinj": rates(0, 1, 1, 0),
                                    "weakrand": rates(1, 0, 1, 0), "hash": rates(1, 0, 1, 0)}
    claimed, every = bandit["mean_claimed"], bandit["mean_all"]
    assert (claimed["tpr"], claimed["fpr"], claimed["score"]) == (0.6667, 0.3333, 0.3333)
    assert (every["tpr"], every["fpr"], every["score"]) == (0.75, 0.25, 0.5)


def test_the_table_shows_counts_rates_and_both_means_for_both_tools(tmp_path: Path) -> None:
    result = bench("--owasp", str(checkout(tmp_path / "b")))
    assert result.returncode == 0, result.stderr
    assert "| cmdi | 2 | yes | 1/0/1/0 | 100% | 0% | 100% | 1/0/0/1 | 100% | 100% | 0% |" in result.stdout
    assert "| hash | 2 |  | 0/1/1/0 | 0% | 0% | 0% | 1/0/1/0 | 100% | 0% | 100% |" in result.stdout
    assert "| **mean, 3 claimed** | | |  | 100% | 0% | 100% |  | 67% | 33% | 33% |" in result.stdout
    assert "| **mean, all 4** | | |  | 75% | 0% | 75% |  | 75% | 25% | 50% |" in result.stdout
    assert "ProvenFix: " in result.stdout and "Bandit: " in result.stdout


def test_a_folder_that_is_not_a_benchmark_checkout_is_a_one_line_error(tmp_path: Path) -> None:
    result = bench("--owasp", str(tmp_path))
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if "error" in line]
    assert errors == [f"provenfix: error: {tmp_path.resolve()}: not a BenchmarkPython checkout (no expectedresults-0.1.csv)"]
    assert "Traceback" not in result.stderr
