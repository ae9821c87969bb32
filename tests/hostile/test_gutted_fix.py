"""Fixes that block the exploit by breaking the code, and the checks that must catch them.

A fix that replaces a vulnerable function's body with ``return 0`` makes every proof test pass
(nothing harmful can happen any more) and keeps a suite that does not call the function green.
Only the behaviour half of the proof (benign inputs must behave as before) stops it. Each test
here breaks one check's premise on purpose and watches the verdict: a built-in recipe gone wrong,
a model's gutted patch, a patch the re-scan alone rejects, and --apply writing what was judged.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from provenfix import api
from provenfix.detect import Scope, detect
from provenfix.model import FileEdit, Status
from provenfix.recipes import BY_RULE
from provenfix.remediate import Verifier, _candidate
from provenfix.workspace import open_workspace

from tests.llm.scripted_server import Reply, ScriptedServer

from .conftest import run_cli

# One module per class; the project's own suite calls none of these functions.
VULNERABLE = {
    "app/shell.py": """\
        import os


        def line_count(filename):
            return os.popen("wc -l " + filename).read()
    """,
    "app/store.py": """\
        SCHEMA = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)"


        def find_user(db, name):
            return db.execute(f"SELECT id, name FROM users WHERE name = '{name}'").fetchall()
    """,
    "app/files.py": """\
        import os

        UPLOAD_DIR = "/srv/uploads"


        def read_upload(filename):
            with open(os.path.join(UPLOAD_DIR, filename)) as f:
                return f.read()
    """,
    "app/config.py": """\
        import yaml


        def load_config(text):
            return yaml.load(text, Loader=yaml.Loader)
    """,
    "app/lists.py": """\
        def parse_list(raw):
            return eval(raw)
    """,
}
SUITE = {
    "app/__init__.py": "",
    "app/version.py": "VERSION = '1.0'\n",
    "tests/test_version.py": "from app.version import VERSION\n\n\ndef test_version():\n    assert VERSION == '1.0'\n",
}
RULES = {"app/shell.py": "PF-CMD", "app/store.py": "PF-SQL", "app/files.py": "PF-PATH", "app/config.py": "PF-YAML",
         "app/lists.py": "PF-CODE"}


def _gutted(text: str, function: str) -> str:
    """``function``'s body replaced by ``return 0``: no exploit gets through, nothing works either."""
    node = next(n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.FunctionDef) and n.name == function)
    lines = text.splitlines(keepends=True)
    indent = " " * node.body[0].col_offset
    return "".join(lines[: node.body[0].lineno - 1] + [f"{indent}return 0\n"] + lines[node.end_lineno:])


def _gutting_rewrite(self, match, texts, index):
    path = match.site.module.path
    return {path: _gutted(texts[path], match.site.function.node.name)}


def test_a_recipe_that_guts_the_function_is_rejected_for_changed_behaviour(hostile_project, monkeypatch) -> None:
    root = hostile_project({**SUITE, **VULNERABLE})
    # The real recipes' fixes verify on this project: it is the gutting alone that is judged below.
    control = api.fix([str(root)], jobs=2)
    assert {f.finding.location.path: f.finding.rule_id for f in control.fixes} == RULES
    assert all(f.status is Status.VERIFIED for f in control.fixes), [(f.finding.rule_id, f.reason) for f in control.fixes]
    assert all(f.evidence.behaviour.same is True for f in control.fixes)

    for rule in RULES.values():  # every built-in class whose recipe could go wrong this way
        monkeypatch.setattr(type(BY_RULE[rule]), "rewrite", _gutting_rewrite)
    report = api.fix([str(root)], jobs=2)
    for fix in report.fixes:
        assert "return 0" in fix.candidate.patch()
        assert fix.evidence.proof_before.outcome == "failed-assertion"
        assert fix.evidence.proof_after.outcome == "passed", fix.finding.rule_id  # the exploit is blocked…
        assert fix.evidence.rescan_clean is True  # …the sink is gone, the suite never calls the function…
        assert fix.status is Status.REJECTED, fix.finding.rule_id  # …and it is rejected all the same
        assert fix.reason.startswith("changes behaviour on benign input "), fix.reason
        assert fix.reason.endswith("after 0"), fix.reason
        assert fix.evidence.behaviour.same is False


PATH_BUG = VULNERABLE["app/files.py"]
MODEL_PROOF = """\
import app.files


def test_a_name_cannot_leave_the_upload_folder(tmp_path, monkeypatch):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (tmp_path / "secret.txt").write_text("TOP-SECRET")
    monkeypatch.setattr(app.files, "UPLOAD_DIR", str(uploads))
    try:
        got = app.files.read_upload("../secret.txt")
    except ValueError:
        got = ""
    assert "TOP-SECRET" not in str(got)
"""
MODEL_FIXES = {
    "gutted": "    return 0\n",
    "confined": ("    base = os.path.realpath(UPLOAD_DIR)\n"
                 "    path = os.path.realpath(os.path.join(base, filename))\n"
                 "    if os.path.commonpath([base, path]) != base:\n"
                 "        raise ValueError(filename)\n"
                 "    with open(path) as f:\n"
                 "        return f.read()\n"),
}


@pytest.mark.parametrize("kind", sorted(MODEL_FIXES))
def test_a_models_gutted_fix_of_a_static_finding_is_rejected_for_changed_behaviour(hostile_project, kind: str) -> None:
    root = hostile_project({**SUITE, "app/files.py": PATH_BUG})
    body = "    with open(os.path.join(UPLOAD_DIR, filename)) as f:\n        return f.read()\n"
    bug = {
        "title": "path traversal in read_upload", "cwe": 22, "severity": "high", "path": "app/files.py", "line": 7,
        "explanation": {"summary": "The name is joined to the folder unchecked.", "impact": "Any file is read.",
                        "fix_rationale": "The name can no longer leave the folder.", "references": []},
        "edits": [{"path": "app/files.py", "search": body, "replace": MODEL_FIXES[kind]}], "proof_test": MODEL_PROOF,
    }
    with ScriptedServer([Reply(payload={"bugs": [bug]})]) as srv:
        result = run_cli("fix", str(root / "app" / "files.py"), "--engine", "llm", "--format", "json", "--attempts", "1",
                         "--model", f"openai:m@{srv.openai_base_url}")
    [fix] = json.loads(result.stdout)["fixes"]
    evidence = fix["evidence"]
    assert fix["engine"] == "llm" and evidence["proof_after"]["outcome"] == "passed", fix
    assert evidence["behaviour"]["inputs"] == ['"report.txt"']  # made from the finding, not from the model's reply
    if kind == "confined":
        assert fix["status"] == "verified", fix["reason"]
        assert evidence["behaviour"]["same"] is True
    else:
        assert fix["status"] == "rejected"
        assert fix["reason"] == ('changes behaviour on benign input "report.txt": '
                                 'before "benign report\\n", after 0')
        assert evidence["behaviour"]["same"] is False
        assert result.returncode == 1


def test_a_model_finding_without_an_entry_point_says_behaviour_was_not_compared(tmp_path: Path) -> None:
    project = tmp_path / "notes_service"
    shutil.copytree(Path(__file__).parent.parent / "llm" / "fixtures" / "notes_service", project)
    fix = {"path": "notes.py", "search": '        raise KeyError(note_id)\n    return note["text"]',
           "replace": '        raise KeyError(note_id)\n    if note["owner"] != user:\n        raise PermissionError(note_id)\n'
                      '    return note["text"]'}
    bug = {"title": "missing ownership check in read_note", "cwe": 639, "severity": "high", "path": "notes.py",
           "line": 15, "explanation": {"summary": "s", "impact": "i", "fix_rationale": "r", "references": []},
           "edits": [fix], "proof_test": ("import pytest\n\nfrom notes import read_note\n\n\ndef test_owner():\n"
                                          "    with pytest.raises(PermissionError):\n        read_note('bob', 1)\n")}
    with ScriptedServer([Reply(payload={"bugs": [bug]})]) as srv:
        result = run_cli("fix", str(project / "notes.py"), "--engine", "llm", "--format", "json",
                         "--model", f"openai:m@{srv.openai_base_url}")
    [verified] = json.loads(result.stdout)["fixes"]
    assert verified["status"] == "verified", verified["reason"]
    behaviour = verified["evidence"]["behaviour"]
    assert behaviour["same"] is None and behaviour["inputs"] == []  # not pretended
    assert behaviour["unavailable"] == "not compared: the finding has no entry point a test can call"


# A deny-list refuses every payload of the proof test, yet a newline still starts a second command.
GUARDED_BUT_STILL_A_SHELL = """\
import os


def usage(name):
    if any(c in name for c in ";$`'|&"):
        raise ValueError(name)
    return os.system("du -s " + name)
"""


def test_a_patch_that_keeps_the_vulnerable_call_is_rejected_by_the_rescan_alone(hostile_project, monkeypatch) -> None:
    root = hostile_project({**SUITE, "app/disk.py": 'import os\n\n\ndef usage(name):\n    return os.system("du -s " + name)\n'})
    ws = open_workspace([str(root)], None)
    files = ws.files()
    scope = Scope.from_config(ws.config)
    detection = detect(files, scope=scope)
    [item] = detection.items
    recipe_fix = _candidate(item, {f.path: f.text for f in files}, detection)
    # The recipe's own proof test and the real detector; the patch validates the name but keeps the shell.
    keeps_the_sink = recipe_fix.model_copy(update={"edits": [
        FileEdit(path="app/disk.py", before=recipe_fix.edits[0].before, after=GUARDED_BUT_STILL_A_SHELL)]})
    verifier = Verifier(ws, files, {item.finding.id}, timeout_s=120, per_test_timeout_s=30, progress=lambda _: None,
                        scope=scope)
    verifier.know(detection)

    judged = verifier.judge(keeps_the_sink, item.finding, "test")
    assert judged.evidence.proof_before.outcome == "failed-assertion"
    assert judged.evidence.proof_after.outcome == "passed"  # every payload is refused…
    assert judged.evidence.behaviour.same is True  # …plain names still work…
    assert judged.status is Status.REJECTED
    assert judged.reason == "re-scan still reports the finding"  # …but the input still reaches a shell

    # The re-scan is the only check that stands in its way: without it, the same patch verifies.
    monkeypatch.setattr(Verifier, "rescan", lambda self, ids, patched, paths: [])
    blind = verifier.judge(keeps_the_sink, item.finding, "test")
    assert blind.status is Status.VERIFIED, blind.reason


def test_apply_writes_exactly_the_texts_that_were_judged_together(hostile_project) -> None:
    root = hostile_project({**SUITE, "app/tools.py": textwrap.dedent("""\
        import os


        def usage(path):
            return os.system("du -sh " + path)


        def parse_ids(raw):
            return eval(raw)
    """)})
    result = run_cli("fix", str(root), "--apply", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    fixes = report["fixes"]
    assert sorted(f["status"] for f in fixes) == ["verified", "verified"]
    written = hashlib.sha256((root / "app" / "tools.py").read_text(encoding="utf-8").encode()).hexdigest()
    ids = {f["finding_id"] for f in fixes}
    for fix in fixes:
        # Each fix's evidence names the combined text it was judged on: the bytes now in the file.
        assert fix["evidence"]["judged_files"] == {"app/tools.py": written}
        assert fix["evidence"]["combined_with"] == sorted(ids - {fix["finding_id"]})
    assert "app/tools.py" in report["applied"]
