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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from provenfix.bench.cases import BenchError
from provenfix.bench.speed import timed


@dataclass(frozen=True)
class Pinned:
    name: str  # the distribution on PyPI
    version: str
    tops: tuple[str, ...]  # its top-level import folders: what is scanned


# The newest release of each on PyPI that installs on Python 3.11, checked 2026-12-05.
PINNED = (
    Pinned("Django", "5.2.19", ("django",)),
    Pinned("SQLAlchemy", "2.1.9", ("sqlalchemy",)),
    Pinned("pip", "26.3", ("pip",)),
    Pinned("ansible-core", "2.19.14", ("ansible", "ansible_test")),
    Pinned("celery", "5.7.0", ("celery",)),
)
DONE = ".provenfix-installed"  # written after pip succeeds: a half-installed folder is installed again
# The install folder is scanned as one project, so one package's folders see each other's code; the
# rest of it (bin/, *.dist-info/) holds no .py file.
SCAN = """
import json, sys
from provenfix import api
report = api.scan([sys.argv[1]], use_cache=False)
print(json.dumps([{"rule": f.rule_id, "path": f.location.path, "line": f.location.start_line,
                   "confidence": f.confidence, "message": f.message} for f in report.findings]))
"""


@dataclass
class PackageRun:
    package: Pinned
    files: int
    seconds: float  # the scanning process's wall time, interpreter start-up included
    peak_mib: float
    findings: list[dict]


def default_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "provenfix" / "bench-real"


def install(package: Pinned, cache: Path, find_links: Path | None = None) -> Path:
    """The package's installed folder, installed now unless a complete install is there."""
    target = cache / f"{package.name}-{package.version}"
    if (target / DONE).is_file():
        return target
    argv = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile", "--upgrade",
            "--target", str(target), f"{package.name}=={package.version}"]
    if find_links is not None:
        argv += ["--no-index", "--find-links", str(find_links)]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
        raise BenchError(f"could not install {package.name}=={package.version}: {tail[0]}")
    (target / DONE).write_text(f"{package.name}=={package.version}\n", encoding="utf-8")
    return target


def scan_package(package: Pinned, target: Path) -> PackageRun:
    """Scan the install in a process of its own, so its time and peak memory are its own."""
    missing = [top for top in package.tops if not (target / top).is_dir()]
    if missing:
        raise BenchError(f"{package.name}: no {', '.join(missing)}/ in {target}")
    run = timed([sys.executable, "-c", SCAN, str(target)], label=f"scanning {package.name}")
    files = sum(1 for top in package.tops for p in (target / top).rglob("*.py") if "__pycache__" not in p.parts)
    return PackageRun(package, files, run.seconds, run.peak_mib, json.loads(run.output))


def run_real(packages: Sequence[Pinned] = PINNED, cache: Path | None = None, find_links: Path | None = None,
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
               f"{sum(r.seconds for r in runs):.1f} | {max((r.peak_mib for r in runs), default=0):.0f} (largest) |")
    listed = [(r.package.name, f) for r in runs for f in r.findings]
    if listed:
        out += ["", "| package | rule | where | confidence | message |", "|---|---|---|---|---|"]
        out += [f"| {name} | {f['rule']} | {f['path']}:{f['line']} | {f['confidence']} | {_cell(f['message'])} |"
                for name, f in listed]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    """Messages quote the scanned code: a `|` or newline in one must not break the table."""
    return " ".join(text.split()).replace("|", "\\|")
