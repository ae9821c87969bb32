#!/usr/bin/env python3
"""The logic of action.yml's steps, kept out of YAML so a test runs exactly what the Action runs.

    python action.py scan    # the changed Python files → SARIF for code scanning
    python action.py fix     # the same files → fixes proven, as a Markdown pull-request comment

Run by the Python that has ProvenFix installed. Every value comes from the environment, set by
action.yml from its inputs, and is never spliced into a shell command: a branch name or a file
name in the pull request is data here, nothing else. Git and ProvenFix run from argument lists.

Environment: PROVENFIX_PATH (the project folder, default "."), PROVENFIX_BASE (the branch or commit
the pull request is compared with; empty scans the whole project), PROVENFIX_SARIF,
PROVENFIX_CATEGORY, PROVENFIX_COMMENT, PROVENFIX_PATCH, and GITHUB_OUTPUT (where step outputs go).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlparse

from provenfix import __version__
from provenfix.model import Report
from provenfix.report import render
from provenfix.workspace import find_root, is_test_file

SRCROOT = "%SRCROOT%"
COMMENT_LIMIT = 65_000  # GitHub refuses a comment body over 65,536 characters
FETCH_HINT = "check out with actions/checkout's fetch-depth: 0"


class ActionError(Exception):
    """One line for the log; the step fails."""


def main(argv: list[str]) -> int:
    try:
        if argv == ["scan"]:
            scan()
        elif argv == ["fix"]:
            fix()
        else:
            raise ActionError("usage: action.py scan|fix")
    except ActionError as exc:
        message = _one_line(str(exc)).replace("%", "%25")  # a workflow command's own escaping
        print(f"::error title=ProvenFix::{message}", file=sys.stderr)
        return 2
    return 0


def scan() -> None:
    project, files = _targets()
    sarif = Path(os.environ.get("PROVENFIX_SARIF") or "provenfix.sarif")
    if files == []:  # nothing of ours changed: an empty analysis, so code scanning knows the PR was looked at
        empty = Report(target=str(find_root(project)), findings=[])
        sarif.write_text(render(empty, "sarif", version=__version__), encoding="utf-8")
    else:
        _provenfix("scan", "--format", "sarif", "--output", str(sarif), project, files)
    log = json.loads(sarif.read_text(encoding="utf-8"))
    category = os.environ.get("PROVENFIX_CATEGORY") or "provenfix"
    for run in log["runs"]:
        _rebase(run, _top())
        run["automationDetails"] = {"id": category.rstrip("/") + "/"}
    sarif.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    found = sum(1 for run in log["runs"] for r in run["results"] if not r.get("suppressions"))
    _output(**{"sarif-file": str(sarif), "findings": str(found)})


def fix() -> None:
    project, files = _targets()
    comment = Path(os.environ.get("PROVENFIX_COMMENT") or "provenfix-comment.md")
    patch = os.environ.get("PROVENFIX_PATCH", "")
    if files == []:
        _output(**{"comment-file": "", "patch-file": ""})
        return
    _provenfix("fix", "--format", "markdown", "--output", str(comment), *(("--patch", patch) if patch else ()),
               project, files)
    text = comment.read_text(encoding="utf-8")
    if len(text) > COMMENT_LIMIT:  # cut at a section, say so
        cut = text.rfind("\n## ", 0, COMMENT_LIMIT - 200)
        text = text[: cut if cut > 0 else COMMENT_LIMIT - 200] + (
            "\n\n---\n*The report is longer than a comment may be; run `provenfix fix` on these files for the rest.*\n")
        comment.write_text(text, encoding="utf-8")
    _output(**{"comment-file": str(comment), "patch-file": patch})


def _targets() -> tuple[Path, list[Path] | None]:
    """The project folder, and the pull request's Python files in it (None: no base, the whole project)."""
    project = Path(os.environ.get("PROVENFIX_PATH") or ".").resolve()
    if not project.is_dir():
        raise ActionError(f"path {os.environ.get('PROVENFIX_PATH')!r}: not a folder")
    base = os.environ.get("PROVENFIX_BASE", "")
    if not base:
        return project, None
    top = _top()
    root = find_root(project)
    files = []
    for rel in _changed(base):
        path = top / rel
        if path.is_symlink() or not path.is_file() or not path.is_relative_to(project):
            continue  # a symlink may point anywhere; only the project's own files are its findings
        if not is_test_file(path.relative_to(root).as_posix()):  # as a whole-project scan: tests are not reported
            files.append(path)
    print(f"ProvenFix: {len(files)} changed Python file(s) in {project.relative_to(top) if project.is_relative_to(top) else project}",
          file=sys.stderr)
    return project, files


def _changed(base: str) -> list[str]:
    """Python files added, copied, modified or renamed since the pull request left `base`."""
    if base.startswith("-") or any(c in base for c in "\0\n\r") or not base.strip():
        raise ActionError(f"base-ref {base!r}: not a branch or commit name")
    start = _resolve(base)
    if start is None and _git("check-ref-format", "--branch", base).returncode == 0:
        _git("fetch", "--no-tags", "--quiet", "origin", f"+refs/heads/{base}:refs/remotes/origin/{base}")
        start = _resolve(base)
    if start is None:
        raise ActionError(f"base-ref {base!r}: no such branch or commit here ({FETCH_HINT})")
    fork = _git("merge-base", start, "HEAD")
    if fork.returncode != 0:
        raise ActionError(f"base-ref {base!r}: no history shared with HEAD ({FETCH_HINT})")
    diff = _git("diff", "--name-only", "-z", "--no-ext-diff", "--diff-filter=ACMR", fork.stdout.strip(), "HEAD")
    if diff.returncode != 0:
        raise ActionError(f"git diff failed: {diff.stderr.strip()}")
    return [name for name in diff.stdout.split("\0") if name.endswith(".py")]


def _resolve(base: str) -> str | None:
    for ref in (f"refs/remotes/origin/{base}", base):
        found = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        if found.returncode == 0:
            return found.stdout.strip()
    return None


def _rebase(run: dict[str, Any], top: Path) -> None:
    """GitHub reads a relative URI from the repository's root, whatever %SRCROOT% says: put the
    project's folder in front of each, for a project that is not at the root."""
    base = run.get("originalUriBaseIds", {}).get(SRCROOT, {}).get("uri")
    if not base:
        return
    root = Path(unquote(urlparse(base).path))
    if not root.is_relative_to(top):
        raise ActionError(f"the project {root} is outside the repository {top}")
    prefix = root.relative_to(top).as_posix()
    run["originalUriBaseIds"][SRCROOT] = {"uri": top.as_uri().rstrip("/") + "/"}
    if prefix != ".":
        _prefix_uris(run, quote(prefix) + "/")


def _prefix_uris(node: Any, prefix: str) -> None:
    if isinstance(node, dict):
        if node.get("uriBaseId") == SRCROOT and isinstance(node.get("uri"), str):
            node["uri"] = prefix + node["uri"]
        for value in node.values():
            _prefix_uris(value, prefix)
    elif isinstance(node, list):
        for value in node:
            _prefix_uris(value, prefix)


def _provenfix(command: str, *options: str | Path | list[Path] | None) -> None:
    args: list[str] = []
    for option in options:
        if isinstance(option, list):
            args += [str(p) for p in option]  # absolute: a name like "--apply.py" is no option
        elif option is not None:
            args.append(str(option))
    done = subprocess.run([sys.executable, "-m", "provenfix", command, *args])
    if done.returncode not in (0, 1):  # 1: findings remain, which the report shows; 2: an error, said above
        raise ActionError(f"provenfix {command} failed (exit {done.returncode})")


def _top() -> Path:
    done = _git("rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise ActionError(f"not in a git work tree ({done.stderr.strip()})")
    return Path(done.stdout.strip()).resolve()


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, errors="surrogateescape")


def _output(**values: str) -> None:
    """Step outputs in the multi-line form, so a value with a line break cannot add an output."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as fh:
        for name, value in values.items():
            delimiter = f"provenfix_{secrets.token_hex(8)}"
            fh.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def _one_line(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
