"""Every case in tests/cases/ through the real pipeline: scan, fix, verify in the sandbox, apply.

For each vulnerable case the fix must be verified, and then the hand-written exploit test
(kept in hidden/, never seen by the engine) must pass on the patched project with the
project's own tests still passing. Safe look-alikes must produce no finding and no change.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from provenfix import api
from provenfix.model import Status
from provenfix.verify.sandbox import run_pytest

CASES = Path(__file__).parent / "cases"


def _cases(expect: str) -> list[Path]:
    found = []
    for case in sorted(p for p in CASES.iterdir() if (p / "case.toml").exists()):
        meta = tomllib.loads((case / "case.toml").read_text())
        if meta["expect"] == expect:
            found.append(case)
    return found


def _meta(case: Path) -> dict:
    return tomllib.loads((case / "case.toml").read_text())


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_corpus_is_big_enough() -> None:
    # Per class: tests/test_recipes.py.
    assert len(_cases("fixed")) + len(_cases("unfixed")) >= 30 and len(_cases("safe")) >= 10


@pytest.mark.parametrize("case", _cases("fixed"), ids=lambda p: p.name)
def test_vulnerable_case_is_fixed_and_exploit_blocked(case: Path, tmp_path: Path) -> None:
    meta = _meta(case)
    project = tmp_path / "project"
    shutil.copytree(case / "project", project)
    # One run, with --apply: that a run without it writes nothing is tests/test_example.py's to show.
    applied = api.fix([str(project)], apply=True, jobs=2)
    entry_path, _, entry_name = meta["entry"].partition(":")
    ours = [f for f in applied.fixes if f.finding.location.path == entry_path]
    assert ours, f"no finding at {meta['entry']}: {[f.finding.location for f in applied.fixes]}"
    assert {f.finding.rule_id for f in ours} == {meta["rule"]}
    for f in ours:
        assert f.status is Status.VERIFIED, f"{f.finding.location.qualname}: {f.reason}"
        assert f.evidence.proof_before.outcome == "failed-assertion"
        assert f.evidence.proof_after.outcome == "passed"
    assert all(f.status is Status.VERIFIED for f in applied.fixes), [f.reason for f in applied.fixes]
    assert applied.applied, "nothing was applied"  # the entry file, or a helper the input passes through

    # A credential the fix moved out of the source comes from the environment, as deployed.
    deployed = {name: "deployed-test-value" for f in applied.fixes for name in f.candidate.environment}
    shutil.copy(case / "hidden" / "test_exploit.py", project / "tests" / "test_exploit.py")
    hidden = run_pytest(project, ["tests/test_exploit.py"], python=sys.executable, extra_env=deployed)
    assert hidden.outcome == "passed", hidden.output_tail
    own = run_pytest(project, [], python=sys.executable, extra_env=deployed)
    assert own.outcome == "passed", own.output_tail


@pytest.mark.parametrize("case", _cases("unfixed"), ids=lambda p: p.name)
def test_unfixable_case_is_reported_with_a_reason(case: Path, tmp_path: Path) -> None:
    meta = _meta(case)
    project = tmp_path / "project"
    shutil.copytree(case / "project", project)
    before = _tree(project)
    report = api.fix([str(project)], apply=True, jobs=2)
    ours = [f for f in report.fixes if f.finding.rule_id == meta["rule"]]
    assert ours and all(f.status is Status.UNFIXED and f.reason for f in ours)
    assert _tree(project) == before


@pytest.mark.parametrize("case", _cases("safe"), ids=lambda p: p.name)
def test_safe_look_alike_has_no_finding(case: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(case / "project", project)
    before = _tree(project)
    report = api.fix([str(project)], apply=True)
    assert report.findings == [] and report.fixes == []
    assert _tree(project) == before
