"""The behaviour half of a proof, on the host side: what benign inputs did on the original and on
the patched code, read back from the file our behaviour test wrote in each run's copy, and compared.

A fix may block the exploit by breaking the function (``return 0``); a suite that does not cover
the function would not notice. The behaviour test runs benign inputs of the exploit's shape
through the same entry point, twice over, and records each call's result, the files under its tmp
dir and the rows of any database it was given. What differs between the two rounds on the original
(a duration, a counter) is not behaviour and is masked; everything else must be the same after.
Pure apart from reading the two files.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from provenfix.model import BehaviourCheck
from provenfix.verify import _edits

DIR = ".provenfix"  # in the run copies only, beside nothing of the project's
VARIES = "<varies>"
_MAX_BYTES = 4 * 1024 * 1024
_SHOWN = 160
# Durations and clock readings are never behaviour, even when two calls happen to agree on them.
_TIME_KEY = re.compile(r"(^|_)(elapsed|duration|latency|took|ms|ns|secs?|seconds|timestamp|time|timing|uptime)(_|$)",
                       re.IGNORECASE)


@dataclass(frozen=True)
class BehaviourTest:
    """Our test of benign behaviour for one finding: run beside its proof test, never applied."""

    key: str  # unique among the tests of one run (the finding id)
    code: str
    inputs: list[str]  # the benign inputs, as the expressions the test evaluates

    @property
    def path(self) -> str:
        return f"{DIR}/test_behaviour_{self.key}.py"

    @property
    def results(self) -> str:
        return f"{DIR}/behaviour_{self.key}.json"


# What the verifier is given per candidate: a behaviour test, or the reason there is none.
Behaviour = BehaviourTest | str


def write(root: Path, test: BehaviourTest) -> None:
    path = _edits.contained(root, test.path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(test.code, encoding="utf-8")


def read(root: Path, test: BehaviourTest) -> dict[str, Any] | None:
    """The observations a run left, or None. The copy was the project's to write, so the file is
    read only if it is a plain file (no symlink to a host file, no FIFO to block on) of sane size."""
    path = root / test.results
    try:
        if not stat.S_ISDIR(os.lstat(path.parent).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = json.loads(f.read())
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    return data if isinstance(data, dict) else None


def compare(test: BehaviourTest, before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[BehaviourCheck, str | None]:
    """The evidence, and the reason to reject (None: benign behaviour kept)."""
    rounds_before, rounds_after = _rounds(before, len(test.inputs)), _rounds(after, len(test.inputs))
    if rounds_before is None:
        if before is not None and isinstance(before.get("failed"), str):
            # Our set-up could not even reach the entry point on the original: nothing to compare,
            # and the patched code cannot be blamed for it. Said so, not counted as a pass.
            note = f"the behaviour test could not reach the entry point on the original code ({before['failed']})"
            return BehaviourCheck(inputs=test.inputs, unavailable=note), None
        return BehaviourCheck(inputs=test.inputs), "benign behaviour could not be observed on the original code"
    if rounds_after is None:
        failed = after.get("failed") if isinstance(after, dict) else None
        detail = f" (the behaviour test failed: {failed})" if isinstance(failed, str) else ""
        return BehaviourCheck(inputs=test.inputs), f"benign behaviour could not be observed on the patched code{detail}"
    skeletons = [_merge(_timeless(a), _timeless(b)) for a, b in zip(*rounds_before)]
    shown_before = [_project(_timeless(o), s) for o, s in zip(rounds_before[0], skeletons)]
    shown_after = [_project(_timeless(o), s) for o, s in zip(rounds_after[0], skeletons)]
    reason = None
    for number in range(2):
        for given, skeleton, old, new in zip(test.inputs, skeletons, rounds_before[number], rounds_after[number]):
            old, new = _project(_timeless(old), skeleton), _project(_timeless(new), skeleton)
            if old != new and reason is None:
                where, a, b = _difference(old, new)
                what = {"files": " (files written)", "db": " (database rows)"}.get(where, "")
                reason = f"changes behaviour on benign input {given}{what}: before {_show(a)}, after {_show(b)}"
    check = BehaviourCheck(inputs=test.inputs, before=shown_before, after=shown_after, same=reason is None)
    return check, reason


def combine(checks: list[BehaviourCheck]) -> BehaviourCheck:
    """Several fixes' checks as one (fixes judged together)."""
    notes = [c.unavailable for c in checks if c.unavailable]
    measured = [c.same for c in checks if c.same is not None]
    return BehaviourCheck(inputs=[i for c in checks for i in c.inputs], before=[o for c in checks for o in c.before],
                          after=[o for c in checks for o in c.after], same=all(measured) if measured else None,
                          unavailable="; ".join(notes) or None)


def _rounds(data: dict[str, Any] | None, inputs: int) -> list[list[Any]] | None:
    """Two rounds of one observation per input, or None if the file says anything else."""
    rounds = data.get("rounds") if isinstance(data, dict) else None
    if not (isinstance(rounds, list) and len(rounds) == 2):
        return None
    if not all(isinstance(r, list) and len(r) == inputs for r in rounds):
        return None
    return rounds


def _timeless(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: VARIES if _TIME_KEY.search(k) and isinstance(v, (int, float)) and not isinstance(v, bool)
                else _timeless(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_timeless(v) for v in value]
    return value


def _merge(a: Any, b: Any) -> Any:
    """``a`` with every part that differs in ``b`` replaced by VARIES."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return {k: _merge(a[k], b[k]) for k in a}
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [_merge(x, y) for x, y in zip(a, b)]
    return a if a == b else VARIES


def _project(value: Any, skeleton: Any) -> Any:
    """``value`` with the parts its skeleton marks as varying masked."""
    if skeleton == VARIES:
        return VARIES
    if isinstance(value, dict) and isinstance(skeleton, dict):
        return {k: _project(v, skeleton.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(skeleton, list) and len(value) == len(skeleton):
        return [_project(v, s) for v, s in zip(value, skeleton)]
    return value


def _difference(a: Any, b: Any, where: str = "") -> tuple[str, Any, Any]:
    """The first place two observations differ: (top-level part, its value before, after)."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and not _leaf(a):
        for k in a:
            if a[k] != b[k]:
                return _difference(a[k], b[k], where or k)
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for x, y in zip(a, b):
            if x != y:
                return _difference(x, y, where)
    return where, a, b


def _leaf(value: dict) -> bool:
    """A raised exception, bytes or a path is shown whole ("raised ValueError"), not as its parts."""
    return len(value) == 1 and next(iter(value)) in ("!raised", "!bytes", "!path")


def _show(value: Any) -> str:
    if isinstance(value, dict) and len(value) == 1 and "!raised" in value:
        text = f"raised {value['!raised']}"
    else:
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
