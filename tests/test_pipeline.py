"""End-to-end faults: a project whose own suite is already broken, and hostile candidates the sandbox stops."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import pytest

from provenfix import api, remediate
from provenfix.detect import Scope, detect
from provenfix.model import Candidate, Evidence, Explanation, FileEdit, Finding, Fix, Location, ProofTest, Status
from provenfix.remediate import Outcome, Verifier
from provenfix.verify import prove
from provenfix.workspace import open_workspace

from tests._trees import pyproject

VULNERABLE = 'import os\n\n\ndef usage(path):\n    return os.system("du -sh " + path)\n'


def _project(root: Path, tests: str) -> Path:
    (root / "tools").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(pyproject("p"))
    (root / "tools" / "__init__.py").write_text("")
    (root / "tools" / "disk.py").write_text(VULNERABLE)
    (root / "tests" / "test_own.py").write_text(tests)
    return root


def test_a_suite_with_failing_and_hanging_tests_still_gets_a_verified_fix(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", (
        "import time\nfrom tools.disk import usage\n\n"
        "def test_works(tmp_path):\n    assert usage(str(tmp_path)) == 0\n\n"
        "def test_already_broken():\n    assert 1 == 2\n\n"
        "def test_hangs():\n    time.sleep(600)\n"
    ))
    report = api.fix([str(root)], per_test_timeout_s=3, jobs=1)
    (fix,) = report.fixes
    assert fix.status is Status.VERIFIED, fix.reason
    before, after = fix.evidence.suite_before.tests, fix.evidence.suite_after.tests
    assert before["tests/test_own.py::test_works"] == "passed" == after["tests/test_own.py::test_works"]
    assert before["tests/test_own.py::test_already_broken"] == "failed"
    assert before["tests/test_own.py::test_hangs"] != "passed"
    assert fix.evidence.broken_tests == []


HOSTILE = {
    "fork bomb": "import os\nwhile True:\n    os.fork()\n",
    "memory hog": "blob = bytearray(12 * 1024 ** 3)\n",
    "network": "import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=2)\n",
}

EXPECTED_REASON = {"fork bomb": "processes", "memory hog": "MemoryError", "network": "Network is unreachable"}


@pytest.mark.parametrize("attack", sorted(HOSTILE))
def test_hostile_patched_code_is_stopped_and_the_candidate_rejected(tmp_path: Path, attack: str) -> None:
    root = _project(tmp_path / "p", "def test_nothing():\n    assert True\n")
    before = VULNERABLE
    after = "import subprocess\n" + HOSTILE[attack] + (
        "\n\ndef usage(path):\n    return subprocess.run(['du', '-sh', path]).returncode\n")
    proof = ProofTest(path="tests/security/test_proof.py", code=(
        "from tools.disk import usage\n\n"
        "def test_no_injection(tmp_path):\n"
        "    canary = tmp_path / 'c'\n"
        "    usage(f'x; touch {canary}')\n"
        "    assert not canary.exists()\n"
    ))
    candidate = Candidate(
        finding_id="f1", engine="test", edits=[FileEdit(path="tools/disk.py", before=before, after=after)],
        explanation=Explanation(summary="s", impact="i", fix_rationale="r"), proof_test=proof,
    )
    verdict = prove.verify_candidate(root, candidate, python=sys.executable, suite_args=[], suite_before=None,
                                     rescan=lambda _root, _paths: [], finding_id="f1", timeout_s=60)
    assert verdict.status is Status.REJECTED
    assert verdict.evidence.proof_before.outcome == "failed-assertion"
    assert verdict.evidence.proof_after.outcome != "passed"
    assert EXPECTED_REASON[attack] in verdict.reason
    assert (root / "tools" / "disk.py").read_text() == VULNERABLE


def test_two_fixes_in_one_file_are_verified_together_and_applied_together(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", (
        "from tools.disk import parse_ids, usage\n\n"
        "def test_ids():\n    assert parse_ids('[1, 2]') == [1, 2]\n"
    ))
    (root / "tools" / "disk.py").write_text(VULNERABLE + "\n\ndef parse_ids(raw):\n    return eval(raw)\n")
    progress: list[str] = []
    report = api.fix([str(root)], apply=True, jobs=2, progress=progress.append)
    assert sorted(f.finding.rule_id for f in report.fixes) == ["PF-CMD", "PF-CODE"]
    assert all(f.status is Status.VERIFIED for f in report.fixes), [f.reason for f in report.fixes]
    assert any("together" in line for line in progress), progress
    text = (root / "tools" / "disk.py").read_text()
    assert "subprocess.run" in text and "ast.literal_eval(raw)" in text and "os.system" not in text
    assert len(list((root / "tests" / "security").glob("test_provenfix_*.py"))) == 2
    assert api.scan([str(root)]).findings == []


def test_a_text_to_write_that_is_not_the_judged_text_is_not_written(tmp_path: Path) -> None:
    # What --apply writes must be what was judged: a fix whose file text drifted after judgement
    # (say, re-derived once more) is demoted and its file left out, not written unproven.
    finding = Finding(id="f1", rule_id="PF-CMD", cwe=78, severity="high", confidence="high",
                      location=Location(path="tools/disk.py", start_line=5, end_line=5), message="m")
    judged = VULNERABLE.replace('"du -sh " + path', '["du", "-sh", path]')
    candidate = Candidate(finding_id="f1", engine="builtin",
                          edits=[FileEdit(path="tools/disk.py", before=VULNERABLE, after=judged)],
                          explanation=Explanation(summary="s", impact="i", fix_rationale="r"),
                          proof_test=ProofTest(path="tests/security/test_p.py", code="def test_p():\n    pass\n"))
    fix = Fix(finding=finding, status=Status.VERIFIED, engine="builtin", candidate=candidate,
              evidence=Evidence(judged_files={"tools/disk.py": prove.text_digest(judged)}))
    kept = Outcome([fix], {"tools/disk.py": judged})
    remediate._keep_judged(kept)
    assert kept.fixes[0].status is Status.VERIFIED and kept.combined == {"tools/disk.py": judged}

    drifted = Outcome([fix], {"tools/disk.py": judged + "\n# re-derived after judgement\n"})
    remediate._keep_judged(drifted)
    assert drifted.fixes[0].status is Status.REJECTED
    assert drifted.fixes[0].reason.startswith("internal error: the text to write differs from the text that was judged")
    assert drifted.combined == {}


TWO_SHELLS = ('import os\n\n\ndef usage(path):\n    return os.system("du -sh " + path)\n\n\n'
              'def count(folder):\n    return os.system("ls " + folder)\n')


def test_fixes_judged_together_are_rescanned_by_the_real_detector(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "def test_nothing():\n    assert True\n")
    (root / "tools" / "disk.py").write_text(TWO_SHELLS)
    ws = open_workspace([str(root)], None)
    files = ws.files()
    scope = Scope.from_config(ws.config)
    detection = detect(files, scope=scope)
    usage, count = sorted(detection.items, key=lambda d: d.finding.location.start_line)
    verifier = Verifier(ws, files, {d.finding.id for d in detection.items}, timeout_s=120, per_test_timeout_s=30,
                        progress=lambda _: None, scope=scope)
    verifier.know(detection)
    texts = {f.path: f.text for f in files}
    proofs = [remediate._candidate(d, texts, detection).proof_test for d in (usage, count)]
    # `usage` is really fixed; `count` refuses every payload (a deny-list of characters: not a guard)
    # but still hands its input to a shell.
    combined = TWO_SHELLS.replace('os.system("du -sh " + path)', 'subprocess.run(["du", "-sh", path]).returncode').replace(
        '    return os.system("ls " + folder)', '    if any(c in folder for c in ";$`\'\\""):\n        raise ValueError(folder)\n'
        '    return os.system("ls " + folder)').replace("import os\n", "import os\nimport subprocess\n")
    ids = [usage.finding.id, count.finding.id]

    def judge(rescan):
        return prove.verify_together(root, [FileEdit(path="tools/disk.py", before=TWO_SHELLS, after=combined)], proofs,
                                     python=sys.executable, suite_args=["tests"], suite_before=None, rescan=rescan,
                                     finding_ids=ids, behaviours=[verifier.behaviour(d.finding) for d in (usage, count)])

    verdict = judge(partial(verifier.rescan, set(ids)))
    assert verdict.evidence.proof_after.outcome == "passed"
    assert verdict.status is Status.REJECTED
    assert verdict.reason == f"re-scan still reports {count.finding.id}"
    assert judge(lambda _root, _paths: []).status is Status.VERIFIED  # nothing else stood in its way
