"""Benchmark harness: run a suite of cases through the real pipeline, compare detection with Bandit.

``main()`` is the entry point the CLI calls; the pieces are ``cases`` (the suite format),
``run`` (fix, verify, hidden exploit), ``bandit`` (detection side by side) and ``render``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from provenfix.bench.cases import BenchError, Case, load_case, load_suite
from provenfix.bench.render import FORMATS, render
from provenfix.bench.run import BenchResult, contestants, run_suite

__all__ = ["BenchError", "BenchResult", "Case", "FORMATS", "load_case", "load_suite", "main", "render", "run_suite"]


def main(suite: Path, fmt: str = "text", output: Path | None = None, html: Path | None = None, jobs: int = 2,
         progress: Callable[[str], None] = lambda _: None, *, echo: Callable[[str], None] | None = None,
         detection: bool = True, engines: Sequence[str] = (), models: Sequence[str] = ()) -> int:
    """Run ``suite``, write the ``fmt`` report to ``output`` (else hand it to ``echo``, default stdout)
    and, with ``html``, the HTML page too.

    Returns 0 when no fix was verified while its hidden exploit still worked and no safe case had a
    finding, else 1. Malformed suites and a Bandit that cannot run raise :class:`BenchError`
    (a ``ProvenFixError``: the CLI prints it and exits 2); an unknown ``fmt`` raises ``ValueError``.
    """
    if fmt not in FORMATS:
        raise BenchError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    result = run_suite(suite, jobs=jobs, progress=progress, detection=detection, contestants=contestants(engines, models))
    text = render(result, fmt)
    if output is not None:
        output.write_text(text, encoding="utf-8")
    else:
        (echo or sys.stdout.write)(text)
    if html is not None:
        html.write_text(render(result, "html"), encoding="utf-8")
    bad = result.false_verified + sum(c.false_positives for c in result.cases if c.expect == "safe")
    return 1 if bad else 0
