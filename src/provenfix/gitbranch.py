"""`fix --apply --branch NAME`: the verified fixes as a new git branch, one commit per fix.

The branch starts at HEAD and the run leaves you on it (`git switch -` goes back). Each commit
holds one fix (fixes that change the same file were verified together, so they share one) with
its proof test, written by `apply` as usual, and says which rule, which file and why.

Git runs from an argument list, never a shell. NAME must pass `git check-ref-format --branch`
and may not start with "-"; paths are literal pathspecs (a file named ":(glob)*" is that file);
no hook runs, so what is committed is byte for byte what was judged. A branch of that name, a
touched file with uncommitted changes, or no identity to commit with are refused before anything
is written.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from provenfix.apply import apply_changes
from provenfix.changeset import Change
from provenfix.errors import UsageError
from provenfix.knowledge import UnknownRule, load_rule
from provenfix.model import Fix

# No hooks (they are the repository's code, and one that reformats would change what was judged),
# no fsmonitor (a command a repository's own .git/config could name), no pager, no colour; pathspecs literal.
_GIT = ["git", "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "core.pager=cat", "-c", "color.ui=false",
        "--literal-pathspecs"]
_TIMEOUT_S = 60


@dataclass
class Committed:
    commits: list[str] = field(default_factory=list)  # commit ids, oldest first
    written: list[str] = field(default_factory=list)  # files written, as apply reports them
    problems: list[str] = field(default_factory=list)  # one line each: a fix not committed, and why


def check(root: Path, name: str) -> None:
    """Before any work: a git work tree with a commit, a free valid branch name, someone to commit as."""
    if name.startswith("-") or not name.strip():
        raise UsageError(f"--branch {name!r}: not a valid branch name")
    if _git(root, "rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
        raise UsageError(f"--branch: {root} is not in a git work tree")
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0:
        raise UsageError("--branch: the repository has no commit to start the branch from")
    # --branch also expands "@{-1}"; only a name that stays itself is taken.
    checked = _git(root, "check-ref-format", "--branch", name)
    if checked.returncode != 0 or checked.stdout.rstrip("\n") != name:
        raise UsageError(f"--branch {name!r}: not a valid branch name")
    if _git(root, "show-ref", "--verify", "--quiet", f"refs/heads/{name}").returncode == 0:
        raise UsageError(f"--branch {name}: a branch of that name exists")
    if _git(root, "var", "GIT_COMMITTER_IDENT").returncode != 0:
        raise UsageError("--branch: git has no identity to commit with (set user.name and user.email)")


def commit_fixes(root: Path, name: str, changes: Sequence[Change],
                 waiting: Callable[[str], None] = lambda _: None) -> Committed:
    """Create branch `name` at HEAD, switch to it, and write and commit each change in turn.

    Nothing is written, and no branch made, when a file to be touched has uncommitted changes."""
    done = Committed()
    paths = sorted({p for c in changes for p in c.files})
    if not paths:
        return done
    try:
        dirty = _dirty(root, paths)
        if dirty:
            done.problems = [f"not applied: {p}: has uncommitted changes; --branch commits only the fixes" for p in dirty]
            return done
        _run(root, "switch", "--quiet", f"--create={name}")
        for change in changes:
            applied = apply_changes(root, change.files, [set(change.files)], waiting=waiting)
            done.written += applied.written
            done.problems += applied.refused + ([applied.failed] if applied.failed else [])
            if not applied.written:
                continue
            _run(root, "add", "--force", "--", *applied.written)
            _run(root, "commit", "--quiet", "--cleanup=whitespace", "--file=-", "--", *applied.written,
                 stdin=message(change))
            done.commits.append(_run(root, "rev-parse", "HEAD").strip())
    except _GitFailed as exc:  # what was written and committed so far stays; the rest is not attempted
        done.problems.append(str(exc))
    return done


def message(change: Change) -> str:
    """"<rule> <file>: <title>", then why: what was wrong, what the fix does, which test proves it."""
    fixes = change.fixes
    paths = sorted({e.path for f in fixes if f.candidate for e in f.candidate.edits})
    rules = ", ".join(dict.fromkeys(f.finding.rule_id for f in fixes))
    title = _title(fixes[0]) if len(fixes) == 1 else f"{len(fixes)} fixes verified together"
    body = []
    for fix in fixes:
        candidate = fix.candidate
        assert candidate is not None  # only verified fixes make a change
        loc = fix.finding.location
        if len(fixes) > 1:
            body.append(f"{fix.finding.rule_id} at {loc.path}:{loc.start_line}: {_title(fix)}")
        body += [candidate.explanation.summary, candidate.explanation.fix_rationale,
                 f"Proof: {candidate.proof_test.path} fails on the original code and passes on the fix."]
    subject = _one_line(f"{rules} {', '.join(paths)}: {title}")
    return subject + "\n\n" + "\n\n".join(textwrap.fill(_one_line(p), width=72, break_long_words=False,
                                                         break_on_hyphens=False) for p in body) + "\n"


def _title(fix: Fix) -> str:
    try:
        return load_rule(fix.finding.rule_id).title
    except UnknownRule:  # a model's finding: its own words
        return fix.finding.message


def _one_line(text: str) -> str:
    """Text from the project or a model, as one line of printable characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _dirty(root: Path, paths: list[str]) -> list[str]:
    out = _run(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=no", "--", *paths)
    entries = out.split("\0")
    dirty, i = [], 0
    while i < len(entries):
        entry = entries[i]
        if entry:
            dirty.append(entry[3:])
            if entry[0] in "RC":  # a rename's source follows it
                i += 1
        i += 1
    return sorted(set(dirty))


def _git(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        return subprocess.run([*_GIT, *args], cwd=root, input=stdin, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape", env=env, timeout=_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"--branch: cannot run git ({exc})") from None


def _run(root: Path, *args: str, stdin: str | None = None) -> str:
    done = _git(root, *args, stdin=stdin)
    if done.returncode != 0:
        reason = _one_line(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}")
        raise _GitFailed(f"--branch: git {args[0]} failed: {reason}")
    return done.stdout


class _GitFailed(Exception):
    """A git command failed after the checks passed: one line, reported with the files not applied."""
