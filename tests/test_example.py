"""The README demo, end to end: every planted bug in the example apps is fixed, proven, and really blocked."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from provenfix import api
from provenfix.model import Status
from provenfix.verify.sandbox import run_pytest

EXAMPLES = Path(__file__).parents[1] / "examples"
CLASSES = {
    "notes_app": {"PF-CMD", "PF-SQL", "PF-YAML", "PF-CODE", "PF-PATH", "PF-RAND"},  # Flask
    "helpdesk": {"PF-XSS", "PF-REDIRECT", "PF-XXE", "PF-COOKIE", "PF-PATH", "PF-SSRF", "PF-LOG"},  # Django
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.parametrize("example", sorted(CLASSES))
def test_every_seeded_bug_is_verified_and_its_hidden_exploit_blocked(example: str, tmp_path: Path) -> None:
    app = tmp_path / example
    shutil.copytree(EXAMPLES / example, app, ignore=shutil.ignore_patterns("hidden", "__pycache__", ".pytest_cache"))
    classes = CLASSES[example]
    before = _tree(app)

    report = api.fix([str(app)], jobs=2)
    assert _tree(app) == before, "fix without --apply changed the example"
    assert {f.finding.rule_id for f in report.fixes} == classes
    for fix in report.fixes:
        assert fix.status is Status.VERIFIED, f"{fix.finding.rule_id}: {fix.reason}"
        assert fix.candidate.explanation.fix_rationale and fix.candidate.patch()
        assert fix.evidence.proof_before.outcome == "failed-assertion"
        assert fix.evidence.proof_after.outcome == "passed" and not fix.evidence.broken_tests

    applied = api.fix([str(app)], apply=True, jobs=2)
    assert len([p for p in applied.applied if p.startswith("tests/security/")]) == len(classes)
    shutil.copytree(EXAMPLES / example / "hidden", app / "tests" / "hidden")
    hidden = run_pytest(app, ["tests/hidden"], python=sys.executable)
    assert hidden.outcome == "passed" and len(hidden.tests) >= len(classes), hidden.output_tail
    everything = run_pytest(app, [], python=sys.executable)
    assert everything.outcome == "passed", everything.output_tail
    assert api.scan([str(app)]).findings == []
