"""`fix --apply --branch NAME` and `--patch FILE` with real git: one real fix run on a project with two
findings, then git itself says what the branch and the patch hold. The refusals and hostile names are
checked on `gitbranch` directly, with real git and real writes, and no fix run."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from provenfix import api, gitbranch
from provenfix.changeset import Change
from provenfix.errors import UsageError
from provenfix.model import Candidate, Explanation, FileEdit, Finding, Fix, Location, ProofTest, Severity, Status
from tests._gitrepo import git, init_repo, provenfix, two_findings

BRANCH = "provenfix/fixes"


@pytest.fixture(scope="module")
def fixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    """The project after `fix --apply --branch --patch`: (repo, patch file, the run)."""
    top = tmp_path_factory.mktemp("branch")
    repo = init_repo(two_findings(top / "repo"))
    patch = top / "fixes.patch"
    run = provenfix("fix", ".", "--engine", "builtin", "--apply", "--branch", BRANCH, "--patch", str(patch),
                    "--format", "json", "--output", str(top / "report.json"), cwd=repo)
    return repo, patch, run


def test_branch_has_one_commit_per_fix_with_its_proof_test(fixed) -> None:
    repo, _, run = fixed
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"branch {BRANCH}: 2 commit(s)" in run.stderr
    assert git(repo, "branch", "--show-current").strip() == BRANCH
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""  # everything written is committed
    commits = git(repo, "rev-list", "--reverse", f"main..{BRANCH}").split()
    assert len(commits) == 2
    touched = {}
    for commit in commits:
        subject = git(repo, "log", "-1", "--format=%s", commit).strip()
        files = git(repo, "show", "--name-only", "--format=", commit).split()
        touched[subject] = files
        body = git(repo, "log", "-1", "--format=%b", commit)
        proof = next(f for f in files if f.startswith("tests/security/"))
        assert f"Proof: {proof} fails" in " ".join(body.split())
    assert touched == {
        "PF-YAML tools/config.py: YAML loaded with a loader that can construct arbitrary Python objects":
            ["tests/security/" + _proof(touched, "unsafe_yaml"), "tools/config.py"],
        "PF-CMD tools/shell.py: OS command built from input and run through a shell":
            ["tests/security/" + _proof(touched, "command_injection"), "tools/shell.py"],
    }
    assert "safe_load" in git(repo, "show", f"{BRANCH}:tools/config.py")
    assert "os.system" not in git(repo, "show", f"{BRANCH}:tools/shell.py")
    assert "os.system" in git(repo, "show", "main:tools/shell.py")  # the branch the user was on is untouched


def _proof(touched: dict[str, list[str]], slug: str) -> str:
    return next(f.rsplit("/", 1)[1] for files in touched.values() for f in files if slug in f)


def test_patch_applies_to_the_original_and_gives_the_branch(fixed, tmp_path: Path) -> None:
    repo, patch, _ = fixed
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--branch", "main", str(repo), str(clone))
    git(clone, "apply", "--check", str(patch))
    git(clone, "apply", "--index", str(patch))
    assert git(clone, "diff", "--cached", "--stat", f"origin/{BRANCH}") == ""  # the same tree as the branch
    report = json.loads((repo.parent / "report.json").read_text())
    assert sorted(report["applied"]) == sorted(git(repo, "diff", "--name-only", f"main..{BRANCH}").split())


# --- refusals before any work, through the CLI: one line, exit 2, nothing changed ---

@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return init_repo(two_findings(tmp_path / "repo"))


def test_bad_branch_is_one_line_before_any_work(repo: Path) -> None:
    run = provenfix("fix", ".", "--engine", "builtin", "--apply", "--branch=-D", cwd=repo)
    assert run.returncode == 2
    assert run.stderr == "provenfix: error: --branch '-D': not a valid branch name\n"
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_branch_needs_apply(repo: Path) -> None:
    with pytest.raises(UsageError, match="--branch needs --apply"):
        api.fix([str(repo)], engine="builtin", branch="fixes")


@pytest.mark.parametrize(("name", "message"), [
    ("-D", "not a valid branch name"),
    ("a..b", "not a valid branch name"),
    ("has space", "not a valid branch name"),
    ("@{-1}", "not a valid branch name"),  # check-ref-format would expand it to the previous branch
    ("main", "a branch of that name exists"),
])
def test_bad_branch_names(repo: Path, name: str, message: str) -> None:
    git(repo, "switch", "-q", "-c", "other")  # so that @{-1} names a branch
    with pytest.raises(UsageError, match=message):
        gitbranch.check(repo, name)
    assert git(repo, "branch", "--format=%(refname:short)").split() == ["main", "other"]


def test_not_a_git_work_tree(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not in a git work tree"):
        gitbranch.check(two_findings(tmp_path / "plain"), "fixes")


def test_no_identity_to_commit_with(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(repo.parent))
    git(repo, "config", "user.useConfigOnly", "true")  # no guessing from the host name
    with pytest.raises(UsageError, match="no identity"):
        gitbranch.check(repo, "fixes")


# --- commit_fixes on hand-made changes: real git, real writes, no fix run ---

def _change(path: str, before: str | None, after: str, proof: str = "tests/security/test_pf_x.py") -> Change:
    finding = Finding(id=f"id-{path}", rule_id="PF-CMD", cwe=78, severity=Severity.HIGH, confidence="high",
                      location=Location(path=path, start_line=1, end_line=1), message="m")
    candidate = Candidate(finding_id=finding.id, engine="builtin",
                          edits=[FileEdit(path=path, before=before or "", after=after)],
                          explanation=Explanation(summary="Why.\n\nWhat.", impact="i", fix_rationale="How."),
                          proof_test=ProofTest(path=proof, code="def test_x():\n    pass\n"))
    fix = Fix(finding=finding, status=Status.VERIFIED, engine="builtin", candidate=candidate)
    return Change((fix,), {path: (after, before), proof: (candidate.proof_test.code, None)})


def _committed(repo: Path, *names: str) -> None:
    for name in names:
        git(repo, "add", "--", name)
    git(repo, "commit", "-q", "-m", "add")


def test_dirty_touched_file_refuses_everything(repo: Path) -> None:
    edited = "# my work in progress\n"
    (repo / "tools" / "shell.py").write_text(edited)
    done = gitbranch.commit_fixes(repo, "fixes", [_change("tools/shell.py", edited, "fixed\n")])
    assert done.problems == ["not applied: tools/shell.py: has uncommitted changes; --branch commits only the fixes"]
    assert not done.written and not done.commits
    assert (repo / "tools" / "shell.py").read_text() == edited
    assert git(repo, "branch", "--format=%(refname:short)").split() == ["main"]


def test_hostile_names_are_literal(repo: Path) -> None:
    """A file named like pathspec magic, and a branch name with shell syntax, are only names."""
    magic = ":(glob)*.py"
    (repo / magic).write_text("old\n")
    _committed(repo, magic)
    (repo / "tools" / "shell.py").write_text("# staged, not ours\n")
    git(repo, "add", "tools/shell.py")  # another staged change: not to be swept into the fix's commit
    name = "fix;touch${IFS}pwned"
    gitbranch.check(repo, name)
    done = gitbranch.commit_fixes(repo, name, [_change(magic, "old\n", "new\n")])
    assert not done.problems and len(done.commits) == 1
    assert not (repo / "pwned").exists()
    assert git(repo, "branch", "--show-current").strip() == name
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [magic, "tests/security/test_pf_x.py"]
    assert git(repo, "status", "--porcelain") == "M  tools/shell.py\n"  # still staged, still the user's


def test_refused_fix_is_not_committed_and_the_others_are(repo: Path) -> None:
    (repo / "tests" / "security").mkdir()
    (repo / "tests" / "security" / "test_pf_taken.py").write_text("mine\n")
    _committed(repo, "tests/security/test_pf_taken.py")
    taken = _change("tools/config.py", (repo / "tools" / "config.py").read_text(), "fixed\n",
                    proof="tests/security/test_pf_taken.py")
    fine = _change("tools/shell.py", (repo / "tools" / "shell.py").read_text(), "fixed too\n")
    done = gitbranch.commit_fixes(repo, "fixes", [taken, fine])
    assert len(done.commits) == 1 and done.written == ["tests/security/test_pf_x.py", "tools/shell.py"]
    assert any("test_pf_taken.py: already exists" in p for p in done.problems)
    assert (repo / "tools" / "config.py").read_text() != "fixed\n"
    assert git(repo, "status", "--porcelain", "--untracked-files=all") == ""


def test_message_is_one_subject_line_then_why() -> None:
    change = _change("tools/a\nb.py", "x\n", "y\n")
    message = gitbranch.message(change)
    subject, blank, *body = message.splitlines()
    assert subject == "PF-CMD tools/a b.py: OS command built from input and run through a shell" and blank == ""
    assert "Why. What." in message and "Proof: tests/security/test_pf_x.py fails on the original code" in " ".join(body)



def test_a_repositorys_own_git_config_runs_nothing(repo: Path, tmp_path: Path) -> None:
    """A repository that arrives with its .git folder (a tarball, a copied tree) chooses its config:
    `core.fsmonitor` is a command git runs whenever it refreshes the index. It must never run."""
    canary = tmp_path / "pwned"
    hook = tmp_path / "monitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {canary}\n")
    hook.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(hook))
    before = (repo / "tools" / "config.py").read_text()
    done = gitbranch.commit_fixes(repo, "fixes", [_change("tools/config.py", before, "fixed\n")])
    assert not done.problems and len(done.commits) == 1
    assert not canary.exists(), "the repository's core.fsmonitor ran"
