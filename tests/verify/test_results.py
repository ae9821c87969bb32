"""How the probe's records become a run outcome: the most severe cause wins."""

from __future__ import annotations

import json

import pytest

from provenfix.verify._results import classify, parse, per_test_outcomes


def lines(*records: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def rec(nodeid: str, outcome: str, exc: str | None = None, **flags: bool) -> dict:
    """One finished test as the probe records it."""
    return {"test": nodeid, "outcome": outcome, "exc": exc, "assertion": False, "resource": False, "timeout": False} | flags

END = {"session_end": 1}


@pytest.mark.parametrize(
    ("records", "exit_code", "expected"),
    [
        ([rec("t::a", "passed"), {"session_end": 0}], 0, "passed"),
        ([rec("t::a", "passed"), rec("t::s", "skipped"), {"session_end": 0}], 0, "passed"),
        ([rec("t::s", "skipped"), {"session_end": 0}], 0, "no-tests"),
        ([{"session_end": 5}], 5, "no-tests"),
        ([rec("t::a", "failed", "AssertionError", assertion=True), END], 1, "failed-assertion"),
        ([rec("t::a", "failed", "AssertionError", assertion=True), rec("t::b", "failed", "KeyError"), END], 1, "failed-error"),
        ([rec("t::a", "error", "RuntimeError"), END], 1, "failed-error"),
        ([{"collect_error": "t.py", "detail": "E ImportError"}, {"session_end": 2}], 2, "failed-error"),
        ([rec("t::a", "failed", "PerTestTimeout", timeout=True), rec("t::b", "failed", "KeyError"), END], 1, "timeout"),
        ([rec("t::a", "failed", "MemoryError", resource=True), END], 1, "killed"),
        ([rec("t::a", "passed")], 137, "killed"),  # SIGKILL, reported by the sandbox's init
        ([rec("t::a", "passed")], -9, "killed"),
        ([], 4, "failed-error"),  # usage error: pytest never started a session
        # The process's exit status contradicts the records: something wrote records or rewrote reports.
        ([rec("t::a", "passed"), {"session_end": 0}], 1, "failed-error"),
        ([rec("t::a", "passed"), {"session_end": 0}], 3, "failed-error"),
        ([rec("t::a", "failed", "AssertionError", assertion=True), END], 0, "failed-error"),
    ],
)
def test_classify(records: list[dict], exit_code: int, expected: str) -> None:
    assert classify(parse(lines(*records)), exit_code=exit_code, timed_out=False, limit_hit=False) == expected


def test_sandbox_stops_override_everything() -> None:
    records = parse(lines(rec("t::a", "passed"), {"session_end": 0}))
    assert classify(records, exit_code=None, timed_out=True, limit_hit=False) == "timeout"
    assert classify(records, exit_code=None, timed_out=False, limit_hit=True) == "killed"


def test_a_line_cut_by_a_kill_is_ignored_and_collection_errors_count_as_errors() -> None:
    text = lines(rec("t.py::a", "passed"), {"collect_error": "u.py", "detail": ""}) + '{"test": "t.py::b", "outc'
    assert per_test_outcomes(parse(text)) == {"t.py::a": "passed", "u.py": "error"}
