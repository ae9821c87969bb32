"""`provenfix bench --engine … --model …`: each engine and model gets its own rows, side by side."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from .scripted_server import Reply, ScriptedServer

CASE = Path(__file__).resolve().parents[1] / "cases" / "cmdi-os-system-concat"
PROOF = """\
from workspace_tools.workspace import prepare_workspace


def test_directory_is_one_argument(tmp_path):
    canary = tmp_path / "owned"
    try:
        prepare_workspace(str(tmp_path / "job") + "; touch " + str(canary))
    except OSError:
        pass  # refusing such a directory is fine too
    assert not canary.exists()
"""
MODEL_FIX = {"bugs": [{
    "title": "command injection in prepare_workspace",
    "cwe": 78,
    "severity": "critical",
    "path": "workspace_tools/workspace.py",
    "line": 20,
    "explanation": {"summary": "The directory is pasted into a shell command.",
                    "impact": "A directory name with ; runs any command.",
                    "fix_rationale": "mkdir runs without a shell, the directory as one argument."},
    "edits": [
        {"path": "workspace_tools/workspace.py", "search": "import os\n", "replace": "import os\nimport subprocess\n"},
        {"path": "workspace_tools/workspace.py", "search": 'status = os.system("mkdir -p " + directory)',
         "replace": 'status = subprocess.run(["mkdir", "-p", "--", directory]).returncode'},
    ],
    "proof_test": PROOF,
}]}


def test_builtin_and_a_model_side_by_side(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    shutil.copytree(CASE, suite / CASE.name)
    with ScriptedServer([Reply(payload=MODEL_FIX, usage=(1200, 400))]) as srv:
        model = f"openai:m@{srv.openai_base_url}"
        result = subprocess.run([sys.executable, "-m", "provenfix", "bench", str(suite), "--format", "json",
                                 "--engine", "builtin", "--engine", "llm", "--model", model],
                                capture_output=True, text=True, timeout=600)
        assert len(srv.model_requests) == 1
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    rows = {r["engine"]: r for r in report["summary"]["overall"]}
    assert set(rows) == {"builtin", f"llm {model}"}
    builtin, llm = rows["builtin"], rows[f"llm {model}"]
    assert builtin["verified"] == 1 and builtin["tokens"] == 0
    assert llm["detected"] == 1 and llm["verified"] == 1 and llm["exploit_blocked"] == 1 and llm["false_verified"] == 0
    assert llm["tokens"] == 1600
    assert [c["engine"] for c in report["cases"]] == ["builtin", f"llm {model}"]


def test_an_engine_that_needs_a_model_without_one_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "provenfix", "bench", str(CASE.parent), "--engine", "llm"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--engine llm needs at least one --model" in result.stderr
