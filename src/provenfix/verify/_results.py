"""Turn what the probe plugin recorded into a RunResult outcome. Pure: no I/O.

The probe writes one JSON object per line: ``{"test": nodeid, "outcome", "exc",
"assertion", "resource", "timeout"}`` per finished test, ``{"collect_error": nodeid,
"detail"}``, ``{"internal_error"}``, ``{"hard_timeout"}`` and ``{"session_end": status}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["passed", "failed-assertion", "failed-error", "timeout", "killed", "no-tests"]

PYTEST_NO_TESTS = 5


@dataclass
class ProbeRecords:
    """The probe's lines, grouped."""

    tests: dict[str, dict] = field(default_factory=dict)
    collect_errors: dict[str, str] = field(default_factory=dict)
    internal_error: bool = False
    hard_timeout: bool = False
    session_end: int | None = None


def parse(text: str) -> ProbeRecords:
    records = ProbeRecords()
    for line in text.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue  # a line cut short by a kill
        if not isinstance(item, dict):
            continue
        if "test" in item:
            records.tests[str(item["test"])] = item
        elif "collect_error" in item:
            records.collect_errors[str(item["collect_error"])] = str(item.get("detail", ""))
        elif "internal_error" in item:
            records.internal_error = True
        elif "hard_timeout" in item:
            records.hard_timeout = True
        elif "session_end" in item:
            records.session_end = int(item["session_end"])
    return records


def per_test_outcomes(records: ProbeRecords) -> dict[str, str]:
    """Node id → passed|failed|error|skipped, collection errors included as errors."""
    outcomes = {nodeid: str(rec.get("outcome") or "error") for nodeid, rec in records.tests.items()}
    for nodeid in records.collect_errors:
        outcomes[nodeid] = "error"
    return outcomes


def classify(
    records: ProbeRecords,
    *,
    exit_code: int | None,
    timed_out: bool,
    limit_hit: bool,
) -> Outcome:
    """The run's outcome; the most severe cause wins."""
    if timed_out:
        return "timeout"
    signalled = exit_code is not None and (exit_code < 0 or exit_code > 128)
    failures = [rec for rec in records.tests.values() if rec.get("outcome") in ("failed", "error")]
    if limit_hit or signalled or any(rec.get("resource") for rec in failures):
        return "killed"
    if records.hard_timeout or any(rec.get("timeout") for rec in failures):
        return "timeout"
    if records.collect_errors or records.internal_error:
        return "failed-error"
    if any(not rec.get("assertion") for rec in failures):
        return "failed-error"
    # pytest's own exit status must agree with what the probe saw (a project that wrote fake
    # records and left, or rewrote reports, is caught here when the process says otherwise).
    if failures:
        return "failed-assertion" if exit_code == 1 else "failed-error"
    if records.session_end is None:
        # pytest never finished normally: bad arguments, a plugin that failed to load...
        return "no-tests" if exit_code == PYTEST_NO_TESTS else "failed-error"
    if records.session_end not in (0, PYTEST_NO_TESTS):
        return "failed-error"  # interrupted or internal error without a failing test
    if any(rec.get("outcome") == "passed" for rec in records.tests.values()):
        return "passed" if exit_code == 0 else "failed-error"
    return "no-tests"
