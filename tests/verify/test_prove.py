"""Verdicts on real candidates for tiny projects, judged by real sandboxed pytest runs."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from provenfix.model import Candidate, Explanation, FileEdit, ProofTest, Status
from provenfix.verify.prove import baseline_suite, verify_candidate, verify_together

from .conftest import PYTHON, tree_digest

FINDING = "f-cmdi-1"

VULNERABLE = """\
import shlex


def greeting_command(name):
    return "echo hello " + name
"""

FIXED = """\
import shlex


def greeting_command(name):
    return "echo hello " + shlex.quote(name)
"""

PROOF = """\
from app.shell import greeting_command


def test_name_cannot_inject_a_command():
    assert greeting_command("x; rm -rf /") == "echo hello 'x; rm -rf /'"
"""

SUITE = """\
from app.shell import greeting_command


def test_plain_name():
    assert greeting_command("bob") == "echo hello bob"
"""


def candidate(after: str = FIXED, proof: str = PROOF, before: str = VULNERABLE) -> Candidate:
    return Candidate(
        finding_id=FINDING,
        engine="test",
        edits=[FileEdit(path="app/shell.py", before=before, after=after)],
        explanation=Explanation(summary="s", impact="i", fix_rationale="r"),
        proof_test=ProofTest(path="tests/security/test_pf_cmdi.py", code=proof),
    )


def clean(_root: Path, _paths: list[str]) -> list[str]:
    return []


@pytest.fixture
def project(make_project) -> Path:
    return make_project({"app/__init__.py": "", "app/shell.py": VULNERABLE, "tests/test_shell.py": SUITE})


def verify(root: Path, cand: Candidate, **overrides):
    options = dict(python=PYTHON, suite_args=["tests"], suite_before=None, rescan=clean, finding_id=FINDING)
    options.update(overrides)
    return verify_candidate(root, cand, **options)


def test_good_fix_is_verified_and_the_project_is_untouched(project: Path) -> None:
    before = tree_digest(project)
    seen: list[tuple[str, list[str]]] = []

    def rescan(root: Path, paths: list[str]) -> list[str]:
        seen.append(((root / "app/shell.py").read_text(), paths))
        return []

    verdict = verify(project, candidate(), rescan=rescan)

    assert verdict.status is Status.VERIFIED, verdict.reason
    ev = verdict.evidence
    assert ev.proof_before.outcome == "failed-assertion"
    assert ev.proof_after.outcome == "passed"
    assert ev.suite_before.tests == {"tests/test_shell.py::test_plain_name": "passed"}
    assert ev.suite_after.tests == {"tests/test_shell.py::test_plain_name": "passed"}  # proof test not in the suite
    assert ev.broken_tests == [] and ev.rescan_clean is True
    assert ev.isolation and ev.duration_s > 0
    assert seen == [(FIXED, ["app/shell.py"])]  # the re-scan saw the patched copy
    assert tree_digest(project) == before


def test_proof_failing_by_import_error_is_not_proof(project: Path) -> None:
    proof = "from app.shell import no_such_function\n\ndef test_x():\n    assert no_such_function()\n"
    verdict = verify(project, candidate(proof=proof))
    assert verdict.status is Status.REJECTED
    assert verdict.reason.startswith("proof test does not fail on the original code: failed-error")
    assert "ImportError" in verdict.reason
    assert verdict.evidence.proof_after is None


def test_proof_passing_on_the_original_is_not_proof(project: Path) -> None:
    proof = "from app.shell import greeting_command\n\ndef test_x():\n    assert greeting_command('a')\n"
    verdict = verify(project, candidate(proof=proof), suite_args=None)
    assert verdict.status is Status.REJECTED
    assert verdict.reason == "proof test does not fail on the original code: passed"


def test_fix_that_does_not_make_the_proof_pass_is_rejected(project: Path) -> None:
    half_fix = VULNERABLE.replace('" + name', '" + name.replace(";", "")')
    verdict = verify(project, candidate(after=half_fix), suite_args=None)
    assert verdict.status is Status.REJECTED
    assert verdict.reason.startswith("proof test does not pass on the patched code: failed-assertion")
    assert verdict.evidence.proof_after.outcome == "failed-assertion"


def test_patch_breaking_a_passing_suite_test_is_rejected(project: Path) -> None:
    breaking = FIXED.replace('"echo hello "', '"echo hi "').replace("shlex.quote(name)", "shlex.quote(name)")
    proof = PROOF.replace("echo hello", "echo hi")  # the proof is satisfied, the suite is not
    verdict = verify(project, candidate(after=breaking, proof=proof))
    assert verdict.status is Status.REJECTED
    assert verdict.evidence.broken_tests == ["tests/test_shell.py::test_plain_name"]
    assert verdict.reason == "patch breaks tests that passed before: tests/test_shell.py::test_plain_name"


def test_already_failing_and_hanging_suite_tests_are_not_held_against_a_fix(make_project) -> None:
    root = make_project(
        {
            "app/__init__.py": "",
            "app/shell.py": VULNERABLE,
            "tests/test_shell.py": SUITE
            + textwrap.dedent(
                """
                import time

                def test_already_broken():
                    assert False

                def test_hangs():
                    time.sleep(60)
                """
            ),
        }
    )
    before = baseline_suite(root, PYTHON, ["tests"], per_test_timeout_s=1)
    assert before.tests == {
        "tests/test_shell.py::test_plain_name": "passed",
        "tests/test_shell.py::test_already_broken": "failed",
        "tests/test_shell.py::test_hangs": "failed",
    }
    verdict = verify(root, candidate(), suite_before=before, per_test_timeout_s=1)
    assert verdict.status is Status.VERIFIED, verdict.reason
    assert verdict.evidence.suite_after.tests == before.tests


def test_rescan_still_reporting_the_finding_rejects(project: Path) -> None:
    verdict = verify(project, candidate(), rescan=lambda root, paths: [FINDING], suite_args=None)
    assert verdict.status is Status.REJECTED
    assert verdict.reason == "re-scan still reports the finding"
    assert verdict.evidence.rescan_clean is False


def test_rescan_reporting_new_findings_rejects(project: Path) -> None:
    verdict = verify(project, candidate(), rescan=lambda root, paths: ["f-new-1"], suite_args=None)
    assert verdict.status is Status.REJECTED
    assert verdict.reason == "re-scan reports new findings: f-new-1"
    assert verdict.evidence.rescan_new_findings == ["f-new-1"]


@pytest.mark.parametrize(
    ("cand", "reason"),
    [
        (candidate(before="something else\n"), "edit to app/shell.py does not apply"),
        (
            candidate().model_copy(update={"proof_test": ProofTest(path="../escape/test_x.py", code=PROOF)}),
            "proof test path '../escape/test_x.py' is not a plain relative path",
        ),
    ],
)
def test_unsafe_or_stale_candidates_are_refused_without_running(project: Path, cand: Candidate, reason: str) -> None:
    verdict = verify(project, cand)
    assert verdict.status is Status.REJECTED
    assert verdict.reason.startswith(reason)
    assert verdict.evidence.proof_before is None


def test_fix_to_a_flask_route_verifies_in_a_few_seconds(make_project) -> None:
    app = """\
        from flask import Flask, request
        from markupsafe import escape

        app = Flask(__name__)


        @app.route("/hello")
        def hello():
            return "<p>Hello " + request.args.get("name", "") + "</p>"
    """
    root = make_project(
        {
            "webapp.py": app,
            "tests/test_webapp.py": """\
                from webapp import app

                def test_hello():
                    assert app.test_client().get("/hello?name=bob").data == b"<p>Hello bob</p>"
            """,
        }
    )
    before_text = (root / "webapp.py").read_text()
    after_text = before_text.replace('request.args.get("name", "")', 'str(escape(request.args.get("name", "")))')
    proof = """\
from webapp import app


def test_name_is_escaped():
    body = app.test_client().get("/hello?name=<script>x</script>").data
    assert b"<script>" not in body
"""
    cand = Candidate(
        finding_id=FINDING,
        engine="test",
        edits=[FileEdit(path="webapp.py", before=before_text, after=after_text)],
        explanation=Explanation(summary="s", impact="i", fix_rationale="r"),
        proof_test=ProofTest(path="tests/security/test_pf_xss.py", code=proof),
    )
    started = time.monotonic()
    verdict = verify(root, cand)
    assert verdict.status is Status.VERIFIED, verdict.reason
    assert time.monotonic() - started < 20  # typically ~3 s; generous for a loaded CI machine


def test_fixes_verified_together(make_project) -> None:
    two_bugs = VULNERABLE + '\n\ndef farewell_command(name):\n    return "echo bye " + name\n'
    root = make_project({"app/__init__.py": "", "app/shell.py": two_bugs, "tests/test_shell.py": SUITE})
    first = two_bugs.replace('"echo hello " + name', '"echo hello " + shlex.quote(name)')
    second = two_bugs.replace('"echo bye " + name', '"echo bye " + shlex.quote(name)')
    proofs = [
        ProofTest(path="tests/security/test_pf_1.py", code=PROOF),
        ProofTest(
            path="tests/security/test_pf_2.py",
            code="from app.shell import farewell_command\n\n"
            "def test_bye():\n    assert farewell_command('a;b') == \"echo bye 'a;b'\"\n",
        ),
    ]
    edits = [FileEdit(path="app/shell.py", before=two_bugs, after=first), FileEdit(path="app/shell.py", before=two_bugs, after=second)]

    together = verify_together(root, edits, proofs, python=PYTHON, suite_args=["tests"], suite_before=None)
    assert together.status is Status.VERIFIED, together.reason
    assert set(together.evidence.proof_after.tests) == {
        "tests/security/test_pf_1.py::test_name_cannot_inject_a_command",
        "tests/security/test_pf_2.py::test_bye",
    }

    only_first = verify_together(root, edits[:1], proofs, python=PYTHON, suite_args=None, suite_before=None)
    assert only_first.status is Status.REJECTED
    assert only_first.reason.startswith("proof tests do not all pass on the combined patch: failed-assertion")
