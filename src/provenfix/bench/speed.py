"""Scan speed against Bandit and against merely parsing, on the same files, in one run.

Each measurement is a separate process started the same way (`python -m …`), so interpreter
start-up is in every number alike, and its peak memory is that process's own (`wait4`).
The cache ratio is measured in-process as well: a re-scan's cost is what the cache saves,
not the interpreter's start-up, which no cache can remove.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from provenfix.bench.cases import BenchError
from provenfix.detect import available_cores

# The floor: reading and parsing every file with ast.parse, on as many cores as the scan uses.
PARSE_ONLY = """
import ast, os, sys
from multiprocessing import get_context

def parse(path):
    try:
        ast.parse(open(path, "rb").read())
    except (SyntaxError, ValueError):
        pass

if __name__ == "__main__":
    paths = []
    for top, dirs, files in os.walk(sys.argv[1]):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        paths += [os.path.join(top, name) for name in files if name.endswith(".py")]
    with get_context("fork").Pool(int(sys.argv[2])) as pool:
        pool.map(parse, paths, chunksize=16)
"""
IN_PROCESS = """
import json, sys, time
from provenfix import api
t0 = time.perf_counter(); first = api.scan([sys.argv[1]]); t1 = time.perf_counter()
again = api.scan([sys.argv[1]]); t2 = time.perf_counter()
assert [f.id for f in first.findings] == [f.id for f in again.findings]
print(json.dumps({"first_s": t1 - t0, "rescan_s": t2 - t1, "findings": len(first.findings)}))
"""


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_mib: float
    output: str


@dataclass(frozen=True)
class SpeedResult:
    tree: str
    files: int
    lines: int
    parse_s: float
    provenfix_s: float
    provenfix_one_process_s: float
    cores: int
    bandit_s: float
    provenfix_peak_mib: float
    provenfix_one_process_peak_mib: float
    bandit_peak_mib: float
    parse_peak_mib: float
    provenfix_findings: int
    bandit_findings: int
    first_scan_in_process_s: float
    rescan_in_process_s: float
    rescan_cli_s: float

    @property
    def ratios(self) -> dict[str, float]:
        return {
            "bandit / provenfix": self.bandit_s / self.provenfix_s,
            "bandit / provenfix in one process": self.bandit_s / self.provenfix_one_process_s,
            f"one process / {self.cores} processes": self.provenfix_one_process_s / self.provenfix_s,
            "provenfix / parse-only": self.provenfix_s / self.parse_s,
            "first scan / unchanged re-scan (in process)": self.first_scan_in_process_s / self.rescan_in_process_s,
            "first scan / unchanged re-scan (CLI)": self.provenfix_s / self.rescan_cli_s,
        }

    def to_dict(self) -> dict:
        return {**asdict(self), "ratios": self.ratios}


def _timed(argv: list[str], env: dict[str, str]) -> Timed:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):  # both tools exit 1 when they report findings
        raise BenchError(f"{' '.join(argv[:4])}… failed with exit code {proc.returncode}")
    return Timed(elapsed, usage.ru_maxrss / 1024, output)


def measure(tree: Path) -> SpeedResult:
    if not tree.is_dir():
        raise BenchError(f"{tree}: not a folder of Python code")
    sources = [p for p in tree.rglob("*.py") if "__pycache__" not in p.parts]
    lines = sum(p.read_bytes().count(b"\n") for p in sources)
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="provenfix-speed-") as cache:
        env = {**os.environ, "PROVENFIX_CACHE_DIR": cache}
        parse = _timed([py, "-c", PARSE_ONLY, str(tree), str(available_cores())], env)
        scan = [py, "-m", "provenfix", "scan", str(tree), "--format", "json"]
        one = _timed([*scan, "--jobs", "1", "--no-cache"], env)
        first = _timed(scan, env)
        rescan = _timed(scan, env)
        bandit = _timed([py, "-m", "bandit", "-r", str(tree), "-f", "json", "-q"], env)
    with tempfile.TemporaryDirectory(prefix="provenfix-speed-") as cache:
        inproc = json.loads(_timed([py, "-c", IN_PROCESS, str(tree)], {**os.environ, "PROVENFIX_CACHE_DIR": cache}).output)
    return SpeedResult(
        tree=str(tree), files=len(sources), lines=lines,
        parse_s=parse.seconds, provenfix_s=first.seconds, bandit_s=bandit.seconds,
        provenfix_one_process_s=one.seconds, cores=available_cores(),
        provenfix_peak_mib=first.peak_mib, provenfix_one_process_peak_mib=one.peak_mib, bandit_peak_mib=bandit.peak_mib, parse_peak_mib=parse.peak_mib,
        provenfix_findings=len(json.loads(first.output)["findings"]),
        bandit_findings=len(json.loads(bandit.output or "{}").get("results", [])),
        first_scan_in_process_s=inproc["first_s"], rescan_in_process_s=inproc["rescan_s"], rescan_cli_s=rescan.seconds,
    )


def render_speed(result: SpeedResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), indent=2) + "\n"
    rows = [
        (f"parse only (ast.parse on {result.cores} processes: the floor)", result.parse_s, result.parse_peak_mib, "-"),
        (f"ProvenFix scan, first ({result.cores} processes)", result.provenfix_s, result.provenfix_peak_mib, str(result.provenfix_findings)),
        ("ProvenFix scan, first (one process, --jobs 1)", result.provenfix_one_process_s, result.provenfix_one_process_peak_mib, str(result.provenfix_findings)),
        ("ProvenFix scan, unchanged tree (CLI)", result.rescan_cli_s, None, str(result.provenfix_findings)),
        ("Bandit", result.bandit_s, result.bandit_peak_mib, str(result.bandit_findings)),
    ]
    out = [f"Scan speed on {result.tree}: {result.files} files, {result.lines} lines", "",
           "| what | seconds | peak MiB | findings |", "|---|---:|---:|---:|"]
    out += [f"| {name} | {sec:.2f} | {'' if mib is None else f'{mib:.0f}'} | {n} |" for name, sec, mib, n in rows]
    out += ["", "| ratio | value |", "|---|---:|"]
    out += [f"| {name} | {value:.1f}× |" for name, value in result.ratios.items()]
    out += ["", f"In process: first scan {result.first_scan_in_process_s:.2f} s, "
            f"unchanged re-scan {result.rescan_in_process_s:.3f} s."]
    return "\n".join(out) + "\n"
