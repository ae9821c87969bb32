"""`provenfix mcp`, driven as a coding agent drives it: the MCP SDK's own client, over stdio, spawning
`python -m provenfix mcp`. One session makes every call (the server starts once); the tests read its answers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.conftest import PROVIDER_VARIABLES

CASE = Path(__file__).parent / "cases" / "cmdi-os-system-concat" / "project"
MODULE = "workspace_tools/workspace.py"
SINK = '    status = os.system("mkdir -p " + directory)\n'

# The agent's own proof test: an exploit through the real function, failing by assertion while it works.
AGENT_PROOF = '''\
from workspace_tools.workspace import prepare_workspace


def test_directory_cannot_run_a_second_command(tmp_path):
    canary = tmp_path / "pwned"
    try:
        prepare_workspace(str(tmp_path / "job") + "; touch " + str(canary))
    except OSError:
        pass  # refusing the name is a defence too
    assert not canary.exists(), "the directory name ran a shell command"
'''
# A "proof" that proves nothing: it passes on the original code as well.
IDLE_PROOF = '''\
from workspace_tools.workspace import prepare_workspace


def test_prepare_workspace_works(tmp_path):
    assert prepare_workspace(str(tmp_path / "job"))
'''

# A test of the patch's own making: it fails before only because the patch adds what it checks.
ADDED_PROOF = '''\
from workspace_tools import workspace


def test_the_module_is_safe():
    assert getattr(workspace, "SAFE", False)
'''


@dataclass
class Session:
    project: Path
    outside: Path
    tree_before: dict[str, bytes]
    tree_after: dict[str, bytes]
    tools: list[Any]
    calls: dict[str, Any]  # label → CallToolResult
    stderr: str


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): (os.readlink(p).encode() if p.is_symlink() else p.read_bytes() if p.is_file() else b"/")
            for p in sorted(root.rglob("*"))}


def _git_diff(project: Path, scratch: Path, *changes: tuple[str, str]) -> str:
    """The patch an agent would hand over: `git diff` of its edits to a checkout of the project."""
    shutil.copytree(project, scratch)
    git = ["git", "-C", str(scratch), "-c", "user.name=agent", "-c", "user.email=agent@example.invalid", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(git + args, check=True)
    path = scratch / MODULE
    text = path.read_text()
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text)
    return subprocess.run(git + ["diff"], check=True, capture_output=True, text=True).stdout


def _hostile(root: Path, outside: Path) -> Path:
    """The same project with links out of it: a patch must never reach through them."""
    hostile = root / "hostile"
    shutil.copytree(CASE, hostile)
    (hostile / "workspace_tools" / "settings.py").symlink_to(outside / "secret.py")
    (hostile / "vendored").symlink_to(outside, target_is_directory=True)
    return hostile


def _edit(path: str, old: str, new: str) -> str:
    return f"--- a/{path}\n+++ b/{path}\n@@ -1 +1 @@\n-{old}\n+{new}\n"


async def _drive(project: Path, hostile: Path, scratch: Path, errlog) -> tuple[list[Any], dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if k not in PROVIDER_VARIABLES} | {"PROVENFIX_CONFIG": os.devnull}
    params = StdioServerParameters(command=sys.executable, args=["-m", "provenfix", "mcp"], env=env, cwd=str(project))
    fixed = _git_diff(project, scratch / "fixed", ("import os\n", "import os\nimport subprocess\n"),
                      (SINK, '    status = subprocess.run(["mkdir", "-p", "--", directory]).returncode\n'))
    gutted = _git_diff(project, scratch / "gutted", (SINK + "    if status != 0:\n        return False\n"
                                                     "    os.chmod(directory, DEFAULT_MODE)\n", ""))
    calls: dict[str, Any] = {}
    with anyio.fail_after(240):
        async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            tools = (await session.list_tools()).tools

            async def call(label: str, tool: str, **arguments: Any) -> Any:
                calls[label] = await session.call_tool(tool, arguments)
                return calls[label]

            scanned = await call("scan", "scan", path=".")
            finding = scanned.structured_content["findings"][0]
            await call("scan-missing", "scan", path="no/such/folder")
            await call("explain-rule", "explain", rule_id="PF-CMD")
            await call("explain-finding", "explain", finding=finding)
            await call("explain-unknown", "explain", rule_id="PF-NOPE")
            await call("fix", "fix", path=str(project))
            await call("verify-fixed", "verify", path=str(project), patch=fixed, proof_test=AGENT_PROOF)
            # The agent's word is no input: a claim of success alongside a patch that breaks the function.
            await call("verify-gutted", "verify", path=str(project), patch=gutted, proof_test=AGENT_PROOF,
                       finding_id=finding["id"], verified=True, status="verified")
            await call("verify-idle-proof", "verify", path=str(project), patch=fixed, proof_test=IDLE_PROOF)
            # A patch away from every finding, with a test written to pass on it: nothing static to lose.
            await call("verify-no-finding", "verify", path=str(project), proof_test=ADDED_PROOF,
                       patch=_git_diff(project, scratch / "added", ("import os\n", "import os\n\nSAFE = True\n")))
            await call("verify-not-applying", "verify", path=str(project), proof_test=AGENT_PROOF,
                       patch=_edit(MODULE, "import sys", "import shlex"))
            await call("verify-dotdot", "verify", path=str(hostile), proof_test=AGENT_PROOF,
                       patch="--- a/../secret.py\n+++ b/../secret.py\n@@ -1 +1 @@\n-SECRET = 1\n+SECRET = 2\n")
            await call("verify-absolute", "verify", path=str(hostile), proof_test=AGENT_PROOF,
                       patch=f"--- {hostile.parent / 'outside' / 'secret.py'}\n+++ {hostile.parent / 'outside' / 'secret.py'}\n"
                             "@@ -1 +1 @@\n-SECRET = 1\n+SECRET = 2\n")
            await call("verify-file-link", "verify", path=str(hostile), proof_test=AGENT_PROOF,
                       patch=_edit("workspace_tools/settings.py", "SECRET = 1", "SECRET = 2"))
            await call("verify-folder-link", "verify", path=str(hostile), proof_test=AGENT_PROOF,
                       patch=_edit("vendored/secret.py", "SECRET = 1", "SECRET = 2"))
            await call("verify-symlink-patch", "verify", path=str(hostile), proof_test=AGENT_PROOF,
                       patch="diff --git a/evil.py b/evil.py\nnew file mode 120000\n--- /dev/null\n+++ b/evil.py\n"
                             "@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n")
    return tools, calls


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    root = tmp_path_factory.mktemp("mcp")
    project = root / "project"
    shutil.copytree(CASE, project)
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("SECRET = 1\n")
    hostile = _hostile(root, outside)
    before = _tree(project)
    with open(root / "stderr.txt", "w") as errlog:
        tools, calls = anyio.run(_drive, project, hostile, root / "scratch", errlog)
    return Session(project, outside, before, _tree(project), tools, calls, (root / "stderr.txt").read_text())


def _error(result: Any) -> str:
    assert result.is_error, result
    (text,) = [c.text for c in result.content]
    assert "\n" not in text and "Traceback" not in text
    return text


def test_lists_the_four_tools_and_verify_takes_no_verdict(session: Session) -> None:
    tools = {t.name: t for t in session.tools}
    assert set(tools) == {"scan", "fix", "verify", "explain"}
    assert set(tools["verify"].input_schema["properties"]) == {"path", "patch", "proof_test", "finding_id"}
    assert all(t.annotations.read_only_hint for t in tools.values())


def test_scan_returns_the_finding_as_the_json_report(session: Session) -> None:
    result = session.calls["scan"]
    assert not result.is_error
    report = result.structured_content
    assert report["schema_version"] and report["tool"]["name"] == "provenfix"
    (finding,) = report["findings"]
    assert finding["rule_id"] == "PF-CMD" and finding["cwe"] == 78
    assert finding["location"]["path"] == MODULE and finding["location"]["start_line"] == 20
    assert json.loads(result.content[0].text) == report  # the same report for clients that read only text
    assert _error(session.calls["scan-missing"]).endswith("no/such/folder: no such file or directory")


def test_fix_is_a_dry_run_with_diff_proof_and_evidence(session: Session) -> None:
    result = session.calls["fix"]
    assert not result.is_error
    (fix,) = result.structured_content["fixes"]
    assert fix["status"] == "verified"
    assert '+    status = subprocess.run(["mkdir", "-p", directory]' in fix["patch"]
    assert "def test_" in fix["proof_test"]["code"]
    assert fix["explanation"]["references"]
    assert fix["evidence"]["proof_before"]["outcome"] == "failed-assertion"
    assert fix["evidence"]["proof_after"]["outcome"] == "passed"
    assert result.structured_content["applied"] == []
    assert session.tree_after == session.tree_before  # no patch, no proof test, no cache in the user's tree


def test_verify_judges_an_agents_correct_patch_verified(session: Session) -> None:
    result = session.calls["verify-fixed"]
    assert not result.is_error, result.content
    verdict = result.structured_content
    assert verdict["status"] == "verified", verdict["reason"]
    assert verdict["finding_ids"] == [session.calls["scan"].structured_content["findings"][0]["id"]]  # found by the lines it changes
    evidence = verdict["evidence"]
    assert evidence["proof_before"]["outcome"] == "failed-assertion"
    assert evidence["proof_after"]["outcome"] == "passed"
    assert evidence["rescan_clean"] is True and evidence["broken_tests"] == []
    assert evidence["suite_after"]["outcome"] == "passed"
    assert "+import subprocess" in verdict["patch"] and verdict["proof_test"]["code"] == AGENT_PROOF


def test_verify_rejects_a_patch_that_guts_the_function_whatever_the_agent_claims(session: Session) -> None:
    verdict = session.calls["verify-gutted"].structured_content
    assert verdict["status"] == "rejected"
    assert verdict["reason"].startswith("patch breaks tests that passed before")
    assert "tests/test_workspace.py::test_prepare_workspace_creates_nested_directories" in verdict["evidence"]["broken_tests"]


def test_verify_rejects_a_proof_test_that_passes_on_the_original(session: Session) -> None:
    verdict = session.calls["verify-idle-proof"].structured_content
    assert verdict["status"] == "rejected"
    assert verdict["reason"].startswith("proof test does not fail on the original code: passed")
    assert verdict["evidence"]["proof_after"] is None  # judged before the patch ran at all


@pytest.mark.parametrize(("label", "says"), [
    ("verify-not-applying", "hunk 1 of workspace_tools/workspace.py does not apply"),
    ("verify-dotdot", "is not a plain relative path inside the project"),
    ("verify-absolute", "is not a plain relative path inside the project"),
    ("verify-file-link", "through a symbolic link (workspace_tools/settings.py)"),
    ("verify-folder-link", "through a symbolic link (vendored)"),
    ("verify-symlink-patch", "creates something other than a regular file"),
    ("verify-no-finding", "the patch changes no line of an open finding"),
])
def test_verify_refuses_a_patch_it_cannot_judge_in_one_line(session: Session, label: str, says: str) -> None:
    assert says in _error(session.calls[label])
    assert (session.outside / "secret.py").read_text() == "SECRET = 1\n"
    assert sorted(p.name for p in session.outside.iterdir()) == ["secret.py"]


def test_explain_a_rule_a_finding_and_an_unknown_rule(session: Session) -> None:
    rule = session.calls["explain-rule"].structured_content
    assert rule["rule_id"] == "PF-CMD" and rule["cwe"] == 78 and rule["explanation"]["fix_rationale"]
    finding = session.calls["explain-finding"].structured_content
    assert "`prepare_workspace`" in finding["explanation"]["summary"]  # about this finding, not only its class
    assert "PF-SQL" in _error(session.calls["explain-unknown"])


def test_progress_goes_to_stderr(session: Session) -> None:
    assert "provenfix: verifying the patch to workspace_tools/workspace.py" in session.stderr
    assert "provenfix: verifying PF-CMD at workspace_tools/workspace.py:20" in session.stderr


def test_without_the_mcp_package_one_line_and_exit_2() -> None:
    blocked = "import sys; sys.modules['mcp'] = None; from provenfix.cli import main; sys.argv[1:] = ['mcp']; main()"
    run = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr == "provenfix: error: the MCP server needs the mcp package: pip install 'provenfix[mcp]'\n"
    assert run.stdout == ""
