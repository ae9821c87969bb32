"""Verdicts on real candidates for tiny projects, judged by real sandboxed pytest runs."""

from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import pytest

from provenfix.model import Candidate, Explanation, FileEdit, ProofTest, Status
from provenfix.verify import _behaviour
from provenfix.verify._behaviour import BehaviourTest
from provenfix.verify.prove import baseline_suite, text_digest, verify_candidate, verify_together

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
        (
            candidate().model_copy(update={"edits": [*candidate().edits, FileEdit(
                path=".provenfix/behaviour_f_cmdi_1.json", before="", after='{"rounds": []}')]}),
            ".provenfix/behaviour_f_cmdi_1.json is in .provenfix/, which the verifier keeps for its own tests",
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

    together = verify_together(root, edits, proofs, python=PYTHON, suite_args=["tests"], suite_before=None,
                               rescan=clean, finding_ids=["f-1", "f-2"])
    assert together.status is Status.VERIFIED, together.reason
    assert set(together.evidence.proof_after.tests) == {
        "tests/security/test_pf_1.py::test_name_cannot_inject_a_command",
        "tests/security/test_pf_2.py::test_bye",
    }

    only_first = verify_together(root, edits[:1], proofs, python=PYTHON, suite_args=None, suite_before=None,
                                 rescan=clean, finding_ids=["f-1", "f-2"])
    assert only_first.status is Status.REJECTED
    assert only_first.reason.startswith("proof tests do not all pass on the combined patch: failed-assertion")


# -- the behaviour half of a proof ------------------------------------------------------------

# A hand-written behaviour test in the shape render_behaviour gives: two rounds, one observation per input.
BEHAVIOUR_CODE = """\
import json
from pathlib import Path

from app.shell import greeting_command


def test_benign_behaviour():
    rounds = []
    for _ in range(2):
        observed = []
        for name in ["bob", "alice"]:
            try:
                observed.append({"result": greeting_command(name)})
            except Exception as exc:
                observed.append({"result": {"!raised": type(exc).__name__}})
        rounds.append(observed)
    Path(__file__).with_name("behaviour_f_cmdi_1.json").write_text(json.dumps({"rounds": rounds, "failed": None}))
"""
BEHAVIOUR = BehaviourTest(key="f_cmdi_1", code=BEHAVIOUR_CODE, inputs=['"bob"', '"alice"'])
# Blocks the exploit (the proof passes) and nothing in the suite calls it with a plain name… but it is no greeting.
GUTTED = FIXED.replace('return "echo hello " + shlex.quote(name)', 'return "echo hello \'x; rm -rf /\'"')


def test_a_fix_that_keeps_benign_behaviour_says_so(project: Path) -> None:
    verdict = verify(project, candidate(), behaviour=BEHAVIOUR)
    assert verdict.status is Status.VERIFIED, verdict.reason
    check = verdict.evidence.behaviour
    assert check.same is True and check.inputs == ['"bob"', '"alice"']
    assert check.before == check.after == [{"result": "echo hello bob"}, {"result": "echo hello alice"}]
    assert not (project / ".provenfix").exists()  # our behaviour test lives in the copies only


def test_a_gutted_fix_that_blocks_the_exploit_is_rejected_for_changed_behaviour(make_project) -> None:
    root = make_project({"app/__init__.py": "", "app/shell.py": VULNERABLE, "tests/test_other.py": "def test_x():\n    pass\n"})
    verdict = verify(root, candidate(after=GUTTED), behaviour=BEHAVIOUR)
    assert verdict.evidence.proof_after.outcome == "passed"  # the exploit is blocked…
    assert verdict.status is Status.REJECTED  # …and the function no longer works
    assert verdict.reason == ('changes behaviour on benign input "bob": before "echo hello bob", '
                              "after \"echo hello 'x; rm -rf /'\"")
    assert verdict.evidence.behaviour.same is False


def test_without_a_behaviour_test_the_evidence_says_it_was_not_compared(project: Path) -> None:
    verdict = verify(project, candidate(), behaviour="not compared: the finding has no entry point a test can call")
    assert verdict.status is Status.VERIFIED, verdict.reason
    assert verdict.evidence.behaviour.same is None
    assert verdict.evidence.behaviour.unavailable.startswith("not compared")


def test_patched_code_that_silences_the_behaviour_test_is_rejected(project: Path) -> None:
    # The patch makes the module delete what our test wrote: no observation after is no pass.
    sneaky = FIXED + (
        "\n\nimport atexit, glob, os\n"
        "atexit.register(lambda: [os.remove(p) for p in glob.glob('.provenfix/behaviour_*.json')])\n"
    )
    verdict = verify(project, candidate(after=sneaky), behaviour=BEHAVIOUR, suite_args=None)
    assert verdict.status is Status.REJECTED
    assert verdict.reason == "benign behaviour could not be observed on the patched code"


def test_observations_are_read_only_from_a_plain_file(tmp_path: Path) -> None:
    (tmp_path / ".provenfix").mkdir()
    secret = tmp_path / "host.json"
    secret.write_text('{"rounds": [[], []], "failed": null}')
    (tmp_path / BEHAVIOUR.results).symlink_to(secret)
    assert _behaviour.read(tmp_path, BEHAVIOUR) is None
    (tmp_path / BEHAVIOUR.results).unlink()
    os.mkfifo(tmp_path / BEHAVIOUR.results)  # would block a plain open() for ever
    assert _behaviour.read(tmp_path, BEHAVIOUR) is None


def test_what_differs_between_rounds_on_the_original_is_masked() -> None:
    test = BehaviourTest(key="k", code="", inputs=['"a"'])
    def obs(first: dict, second: dict) -> dict:
        return {"rounds": [[first], [second]], "failed": None}
    before = obs({"result": {"n": 1, "elapsed_ms": 3, "rows": [1]}}, {"result": {"n": 2, "elapsed_ms": 3, "rows": [1]}})
    same = obs({"result": {"n": 7, "elapsed_ms": 4, "rows": [1]}}, {"result": {"n": 8, "elapsed_ms": 9, "rows": [1]}})
    check, reason = _behaviour.compare(test, before, same)
    assert reason is None and check.after == [{"result": {"n": "<varies>", "elapsed_ms": "<varies>", "rows": [1]}}]
    changed = obs({"result": {"n": 7, "elapsed_ms": 4, "rows": []}}, {"result": {"n": 8, "elapsed_ms": 9, "rows": []}})
    _, reason = _behaviour.compare(test, before, changed)
    assert reason == 'changes behaviour on benign input "a": before [1], after []'


# -- fixes judged together get every check one fix gets ---------------------------------------

TWO_BUGS = VULNERABLE + '\n\ndef farewell_command(name):\n    return "echo bye " + name\n'
BYE_PROOF = ProofTest(path="tests/security/test_pf_2.py", code=(
    "from app.shell import farewell_command\n\n"
    "def test_bye():\n    assert farewell_command('a;b') == \"echo bye 'a;b'\"\n"))


def _together(root: Path, edits: list[FileEdit], proofs: list[ProofTest] | None = None, **overrides):
    options = dict(python=PYTHON, suite_args=["tests"], suite_before=None, rescan=clean, finding_ids=["f-1", "f-2"])
    options.update(overrides)
    return verify_together(root, edits, proofs or [ProofTest(path="tests/security/test_pf_1.py", code=PROOF), BYE_PROOF],
                           **options)


def _both_fixed(text: str = TWO_BUGS) -> str:
    return text.replace('"echo hello " + name', '"echo hello " + shlex.quote(name)').replace(
        '"echo bye " + name', '"echo bye " + shlex.quote(name)')


def test_together_a_combined_patch_that_breaks_the_suite_is_rejected(make_project) -> None:
    suite = SUITE + "\n\ndef test_bye_plain():\n    from app.shell import farewell_command\n    assert farewell_command('bob') == 'echo bye bob'\n"
    root = make_project({"app/__init__.py": "", "app/shell.py": TWO_BUGS, "tests/test_shell.py": suite})
    breaking = _both_fixed().replace('"echo bye "', '"echo  bye "')  # each proof passes; the suite's plain bye does not
    bye = ProofTest(path="tests/security/test_pf_2.py", code=BYE_PROOF.code.replace("echo bye", "echo  bye"))
    verdict = _together(root, [FileEdit(path="app/shell.py", before=TWO_BUGS, after=breaking)],
                        [ProofTest(path="tests/security/test_pf_1.py", code=PROOF), bye])
    assert verdict.evidence.proof_after.outcome == "passed"
    assert verdict.status is Status.REJECTED
    assert verdict.reason == "patch breaks tests that passed before: tests/test_shell.py::test_bye_plain"


def test_together_a_combined_patch_the_rescan_still_flags_is_rejected(make_project) -> None:
    root = make_project({"app/__init__.py": "", "app/shell.py": TWO_BUGS, "tests/test_shell.py": SUITE})
    seen: list[str] = []

    def rescan(patched: Path, paths: list[str]) -> list[str]:
        seen.append((patched / "app/shell.py").read_text())
        return ["f-2"]

    verdict = _together(root, [FileEdit(path="app/shell.py", before=TWO_BUGS, after=_both_fixed())], rescan=rescan)
    assert verdict.status is Status.REJECTED
    assert verdict.reason == "re-scan still reports f-2"
    assert seen == [_both_fixed()] and verdict.evidence.rescan_clean is False
    new = _together(root, [FileEdit(path="app/shell.py", before=TWO_BUGS, after=_both_fixed())],
                    rescan=lambda _r, _p: ["f-new"], suite_args=None)
    assert new.reason == "re-scan reports new findings: f-new"


def test_together_every_proof_must_fail_on_the_original(make_project) -> None:
    root = make_project({"app/__init__.py": "", "app/shell.py": TWO_BUGS, "tests/test_shell.py": SUITE})
    no_proof = ProofTest(path="tests/security/test_pf_2.py", code="def test_nothing():\n    assert True\n")
    verdict = _together(root, [FileEdit(path="app/shell.py", before=TWO_BUGS, after=_both_fixed())],
                        [ProofTest(path="tests/security/test_pf_1.py", code=PROOF), no_proof], suite_args=None)
    assert verdict.status is Status.REJECTED
    assert verdict.reason == "proof tests do not fail on the original code: tests/security/test_pf_2.py"
    assert verdict.evidence.proof_after is None


def test_together_benign_behaviour_is_compared_too(make_project) -> None:
    root = make_project({"app/__init__.py": "", "app/shell.py": TWO_BUGS, "tests/test_other.py": "def test_x():\n    pass\n"})
    gutted = _both_fixed().replace('return "echo hello " + shlex.quote(name)', 'return "echo hello \'x; rm -rf /\'"')
    edit = [FileEdit(path="app/shell.py", before=TWO_BUGS, after=gutted)]
    verdict = _together(root, edit, behaviours=[BEHAVIOUR, "not compared: no entry point"])
    assert verdict.evidence.proof_after.outcome == "passed"
    assert verdict.status is Status.REJECTED
    assert verdict.reason.startswith('changes behaviour on benign input "bob"')
    assert verdict.evidence.behaviour.unavailable == "not compared: no entry point"

    kept = _together(root, [FileEdit(path="app/shell.py", before=TWO_BUGS, after=_both_fixed())], behaviours=[BEHAVIOUR])
    assert kept.status is Status.VERIFIED, kept.reason
    assert kept.evidence.behaviour.same is True
    assert kept.evidence.judged_files == {"app/shell.py": text_digest(_both_fixed())}


def test_a_reason_names_the_proof_test_not_the_behaviour_test_run_before_it(project: Path) -> None:
    broken = FIXED + "\nraise RuntimeError('broken on import')\n"
    verdict = verify(project, candidate(after=broken), behaviour=BEHAVIOUR, suite_args=None)
    assert verdict.status is Status.REJECTED
    assert verdict.reason.startswith("proof test does not pass on the patched code: failed-error "
                                     "(tests/security/test_pf_cmdi.py"), verdict.reason
    assert "RuntimeError: broken on import" in verdict.reason
