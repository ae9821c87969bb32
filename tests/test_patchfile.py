"""`--patch`'s unified diff, applied by real git to real files: awkward endings and encodings, and file
names that try to pass for diff headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenfix.changeset import Change
from provenfix.errors import ProvenFixError
from provenfix.patchfile import render_patch, write_patch
from tests._gitrepo import git

LATIN1 = "# -*- coding: latin-1 -*-\nNAME = 'café'\n"


def _apply(tmp_path: Path, before: dict[str, bytes], files: dict[str, tuple[str, str | None]]) -> Path:
    """Write `before` into a fresh repo, `git apply` the patch of `files`, and return the repo."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for name, data in before.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(data)
    patch = tmp_path / "fix.patch"
    write_patch(patch, render_patch([Change((), files)]))
    git(repo, "apply", "--check", str(patch))
    git(repo, "apply", str(patch))
    return repo


@pytest.mark.parametrize(("before", "after"), [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("a\nb", "a\nB"),  # no newline at the end, before and after
    ("a\nb", "a\nb\nc\n"),
    ("a\nb\n", "a\nb"),
    ("x = 1\r\ny = 2\r\n", "x = 1\r\ny = 3\r\n"),
    ("a\fb\n\vc\n", "a\fb\n\vC\n"),  # form feed and vertical tab end no line for git
    ("", "new\n"),
])
def test_edits_apply_exactly(tmp_path: Path, before: str, after: str) -> None:
    repo = _apply(tmp_path, {"m.py": before.encode()}, {"m.py": (after, before)})
    assert (repo / "m.py").read_bytes() == after.encode()


def test_new_files_and_the_files_own_encoding(tmp_path: Path) -> None:
    files = {"pkg/legacy.py": (LATIN1.replace("café", "café au lait"), LATIN1),
             "tests/security/test_pf.py": ("def test_x():\n    assert True\n", None)}
    repo = _apply(tmp_path, {"pkg/legacy.py": LATIN1.encode("latin-1")}, files)
    assert (repo / "pkg/legacy.py").read_bytes() == LATIN1.replace("café", "café au lait").encode("latin-1")
    assert (repo / "tests/security/test_pf.py").read_text() == "def test_x():\n    assert True\n"


def test_a_file_with_a_byte_order_mark_keeps_it(tmp_path: Path) -> None:
    """The text a fix sees has no BOM (Python reads it as utf-8-sig); the file on disk has one."""
    before, after = "x = 1\ny = 2\n", "x = 1\ny = 3\n"
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "m.py").write_bytes(b"\xef\xbb\xbf" + before.encode())
    patch = tmp_path / "fix.patch"
    write_patch(patch, render_patch([Change((), {"m.py": (after, before)})], root=repo))
    git(repo, "apply", str(patch))
    assert (repo / "m.py").read_bytes() == b"\xef\xbb\xbf" + after.encode()


@pytest.mark.parametrize("name", [
    "my file.py",
    'q"uote.py',
    "back\\slash.py",
    "tab\there.py",
    "ünï.py",
    "line\n+++ b/evil.py",  # a line break would otherwise start a header of its own
    "x.py\n@@ -1 +1 @@\n-a\n+pwned",
])
def test_hostile_names_stay_names(tmp_path: Path, name: str) -> None:
    repo = _apply(tmp_path, {name: b"old\n"}, {name: ("new\n", "old\n")})
    assert (repo / name).read_bytes() == b"new\n"
    made = [p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert made == [name]  # nothing else created


def test_unchanged_files_are_left_out() -> None:
    assert render_patch([Change((), {"same.py": ("x\n", "x\n")})]) == b""


def test_unwritable_destination_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "taken.patch").mkdir()  # a folder where the file should go
    with pytest.raises(ProvenFixError, match=r"^--patch .*taken.patch: cannot write it \(Is a directory\)$"):
        write_patch(tmp_path / "taken.patch", b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["taken.patch"]  # no temporary left behind


def test_fixes_sharing_a_file_are_one_change_in_report_order() -> None:
    from provenfix.changeset import verified_changes
    from provenfix.model import Candidate, Explanation, FileEdit, Finding, Fix, Location, ProofTest, Severity, Status

    def fix(n: int, path: str, status: Status = Status.VERIFIED) -> Fix:
        finding = Finding(id=f"f{n}", rule_id="PF-CMD", cwe=78, severity=Severity.HIGH, confidence="high",
                          location=Location(path=path, start_line=n, end_line=n), message="m")
        candidate = Candidate(finding_id=finding.id, engine="builtin", edits=[FileEdit(path=path, before="", after="")],
                              explanation=Explanation(summary="s", impact="i", fix_rationale="r"),
                              proof_test=ProofTest(path=f"tests/security/test_{n}.py", code=f"# {n}\n"))
        return Fix(finding=finding, status=status, candidate=candidate)

    fixes = [fix(1, "a.py"), fix(2, "b.py"), fix(3, "a.py"), fix(4, "c.py", Status.REJECTED)]
    changes = verified_changes(fixes, {"a.py": "A\n", "b.py": "B\n", "c.py": "C\n"}, {"a.py": "a\n", "b.py": "b\n"})
    assert [[f.finding.id for f in c.fixes] for c in changes] == [["f1", "f3"], ["f2"]]
    assert changes[0].files == {"a.py": ("A\n", "a\n"), "tests/security/test_1.py": ("# 1\n", None),
                                "tests/security/test_3.py": ("# 3\n", None)}
