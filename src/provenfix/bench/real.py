"""Precision on real code: pinned releases of widely used packages, scanned in the default mode.

Each package is installed once with `pip install --no-deps --target` into a cache folder (only this
benchmark installs anything), then scanned as its own process, so each gets its own time and peak
memory. Every finding is listed: on code nobody here wrote, each one must be judged true or false.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from provenfix.bench.cases import BenchError


@dataclass(frozen=True)
class Pinned:
    name: str  # the distribution on PyPI
    version: str
    top: str  # the import package that is scanned


PINNED = (
    Pinned("Django", "5.2.8", "django"),
    Pinned("SQLAlchemy", "2.0.44", "sqlalchemy"),
    Pinned("pip", "25.3", "pip"),
    Pinned("ansible-core", "2.19.4", "ansible"),
    Pinned("celery", "5.5.3", "celery"),
)
DONE = ".provenfix-installed"  # written after pip succeeds: a half-installed folder is installed again
SCAN = """
import json, sys, time
from provenfix import api
t0 = time.perf_counter(); report = api.scan([sys.argv[1]], use_cache=False); t1 = time.perf_counter()
print(json.dumps({"seconds": t1 - t0, "warnings": len(report.warnings),
                  "findings": [{"rule": f.rule_id, "path": f.location.path, "line": f.location.start_line,
                                "confidence": f.confidence, "message": f.message} for f in report.findings]}))
"""


@dataclass
class PackageRun:
    package: Pinned
    files: int
    seconds: float
    peak_mib: float
    findings: list[dict]


def default_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "provenfix" / "bench-real"


def install(package: Pinned, cache: Path, find_links: Path | None = None) -> Path:
    """The package's installed folder, installed now unless a complete install is there."""
    target = cache / f"{package.name}-{package.version}"
    if (target / DONE).is_file():
        return target
    argv = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", "--target", str(target),
            f"{package.name}=={package.version}"]
    if find_links is not None:
        argv += ["--no-index", "--find-links", str(find_links)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        raise BenchError(f"could not install {package.name}=={package.version}: {tail[0]}")
    (target / DONE).write_text(f"{package.name}=={package.version}\n", encoding="utf-8")
    return target


def scan_package(package: Pinned, target: Path) -> PackageRun:
    tree = target / package.top
    if not tree.is_dir():
        raise BenchError(f"{package.name}: no {package.top}/ in {target}")
    # The install folder is the project, as a checkout's root is: the package's modules are named as
    # its own imports name them (`django.urls.base`), so its calls of itself are followed.
    proc = subprocess.Popen([sys.executable, "-c", SCAN, str(target)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise BenchError(f"{package.name}: the scan failed (exit {os.waitstatus_to_exitcode(status)})")
    data = json.loads(output)
    files = sum(1 for p in tree.rglob("*.py") if "__pycache__" not in p.parts)
    return PackageRun(package, files, data["seconds"], usage.ru_maxrss / 1024, data["findings"])


def run_real(packages: tuple[Pinned, ...] = PINNED, cache: Path | None = None, find_links: Path | None = None,
             progress=lambda _: None) -> list[PackageRun]:
    cache = cache or default_cache()
    cache.mkdir(parents=True, exist_ok=True)
    runs = []
    for package in packages:
        progress(f"{package.name} {package.version}")
        runs.append(scan_package(package, install(package, cache, find_links)))
    return runs


def select(names: str | None) -> tuple[Pinned, ...]:
    if not names:
        return PINNED
    wanted = {n.strip().lower() for n in names.split(",") if n.strip()}
    chosen = tuple(p for p in PINNED if p.name.lower() in wanted)
    unknown = wanted - {p.name.lower() for p in chosen}
    if unknown:
        raise BenchError(f"unknown package(s) {', '.join(sorted(unknown))}: one of {', '.join(p.name for p in PINNED)}")
    return chosen


def render_real(runs: list[PackageRun], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{"package": r.package.name, "version": r.package.version, "files": r.files,
                            "seconds": round(r.seconds, 2), "peak_mib": round(r.peak_mib), "findings": r.findings}
                           for r in runs], indent=2) + "\n"
    out = ["| package | version | files | findings | seconds | peak MiB |", "|---|---|---:|---:|---:|---:|"]
    out += [f"| {r.package.name} | {r.package.version} | {r.files} | {len(r.findings)} | {r.seconds:.1f} | {r.peak_mib:.0f} |"
            for r in runs]
    out.append(f"| **all** | | {sum(r.files for r in runs)} | {sum(len(r.findings) for r in runs)} | "
               f"{sum(r.seconds for r in runs):.1f} | |")
    listed = [(r.package.name, f) for r in runs for f in r.findings]
    if listed:
        out += ["", "| package | rule | where | confidence | message |", "|---|---|---|---|---|"]
        out += [f"| {name} | {f['rule']} | {f['path']}:{f['line']} | {f['confidence']} | {f['message']} |" for name, f in listed]
    return "\n".join(out) + "\n"
