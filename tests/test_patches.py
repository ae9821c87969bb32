"""An agent's unified diff into FileEdits: real `git diff` output applied exactly, anything else refused in one line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from provenfix.patches import PatchError, edits_from_patch, touched_lines

GIT = ["git", "-c", "user.name=agent", "-c", "user.email=agent@example.invalid", "-c", "core.autocrlf=false", "-c", "commit.gpgsign=false"]


def _git_patch(root: Path, before: dict[str, bytes], after: dict[str, bytes | None], *flags: str) -> str:
    """Write `before`, commit it, make the agent's changes (None deletes), and return `git diff`; the
    tree is left as it was before."""
    for rel, data in before.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    run = lambda *args: subprocess.run([*GIT, "-C", str(root), *args], check=True, capture_output=True).stdout
    run("init", "-q")
    run("add", "-A")
    run("commit", "-q", "-m", "base")
    for rel, data in after.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).unlink() if data is None else (root / rel).write_bytes(data)
    run("add", "-A")  # new files show in the diff too
    patch = run("diff", "--cached", *flags).decode("utf-8")
    run("reset", "-q", "--hard")
    run("clean", "-qfd")
    return patch


def _applied(root: Path, patch: str) -> dict[str, str]:
    return {e.path: e.after for e in edits_from_patch(root, patch)}


def test_git_diffs_apply_exactly_line_endings_and_all(tmp_path: Path) -> None:
    before = {
        "app/views.py": b"import os\n\n\ndef run(cmd):\n    return os.system(cmd)\n" + b"# filler\n" * 40 + b"END = 1\n",
        "app/crlf.py": b"a = 1\r\nb = 2\r\nc = 3",  # CRLF and no newline at the end
        "app/feed.py": b"x = 1\n\x0c\ny = 2  # a form feed is not a line break\n",
    }
    after = {
        "app/views.py": b"import subprocess\n\n\ndef run(cmd):\n    return subprocess.run(cmd).returncode\n"
                        + b"# filler\n" * 40 + b"END = 2\n",
        "app/crlf.py": b"a = 1\r\nb = 20\r\nc = 3\r\nd = 4",
        "app/feed.py": b"x = 1\n\x0c\ny = 3  # a form feed is not a line break\n",
        "app/new.py": b"NEW = True\n",
    }
    patch = _git_patch(tmp_path, before, after)
    assert patch.count("@@ -") == 5  # two hunks in views.py: each placed on its own
    assert _applied(tmp_path, patch) == {k: v.decode() for k, v in after.items()}
    assert {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.py")} == set(before)  # nothing written


def test_a_hunk_is_found_where_its_lines_moved_but_only_if_unique(tmp_path: Path) -> None:
    before = {"m.py": b"def f():\n    return 1\n\n\ndef g():\n    return 2\n"}
    patch = _git_patch(tmp_path, before, {"m.py": b"def f():\n    return 1\n\n\ndef g():\n    return 3\n"}, "-U1")
    (tmp_path / "m.py").write_bytes(b'"""Docs added since."""\n\n' + before["m.py"])
    assert _applied(tmp_path, patch)["m.py"].endswith("def g():\n    return 3\n")
    (tmp_path / "m.py").write_bytes(b"def g():\n    return 2\n\n" * 2)  # two places it could go
    with pytest.raises(PatchError, match="hunk 1 of m.py does not apply"):
        edits_from_patch(tmp_path, patch)


@pytest.mark.parametrize(("after", "flags", "says"), [
    ({"m.py": None}, (), "deleted file mode"),
    ({"m.py": None, "n.py": b"A = 1\nB = 2\nC = 3\nD = 4\n"}, ("-M",), "rename from m.py"),
    ({"m.py": b"\x00\x01binary"}, ("--binary",), "GIT binary patch"),
])
def test_only_text_changes_to_files_are_accepted(tmp_path: Path, after: dict, flags: tuple[str, ...], says: str) -> None:
    patch = _git_patch(tmp_path, {"m.py": b"A = 1\nB = 2\nC = 3\nD = 4\n"}, after, *flags)
    with pytest.raises(PatchError, match=says):
        edits_from_patch(tmp_path, patch)


@pytest.mark.parametrize(("patch", "says"), [
    ("Here is the fix: use subprocess.run with a list.", "the patch changes no file"),
    ("--- a/m.py\n+++ b/m.py\n@@ -1,2 +1,2 @@\n-A = 1\n+A = 2\n", "a hunk of m.py is cut short"),
    ("--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-A = 9\n+A = 2\n", "hunk 1 of m.py does not apply"),
    ("--- a/gone.py\n+++ b/gone.py\n@@ -1 +1 @@\n-A = 1\n+A = 2\n", "changes gone.py, which does not exist"),
    ("--- /dev/null\n+++ b/m.py\n@@ -0,0 +1 @@\n+A = 2\n", "creates m.py, which already exists"),
    ("--- a/m.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-A = 1\n", "the patch deletes m.py"),
    ("--- a/m.py\n+++ b/m.py\n@@ -1 +1 @@\n-A = 1\n+A = 1\n", "the patch changes nothing"),
    ('--- "a/m\\033[2J.py"\n+++ "b/m\\033[2J.py"\n@@ -1 +1 @@\n-A = 1\n+A = 2\n', "special characters"),
    ("--- a/m\x1b[2J.py\n+++ b/m\x1b[2J.py\n@@ -1 +1 @@\n-A = 1\n+A = 2\n", "special characters"),
])
def test_a_patch_that_cannot_be_judged_says_why_in_one_line(tmp_path: Path, patch: str, says: str) -> None:
    (tmp_path / "m.py").write_text("A = 1\n")
    with pytest.raises(PatchError, match=says) as caught:
        edits_from_patch(tmp_path, patch)
    assert "\n" not in str(caught.value) and "\x1b" not in str(caught.value)


def test_touched_lines_are_the_original_lines_a_patch_changes(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("a\nb\nc\nd\n")
    (edit,) = edits_from_patch(tmp_path, "--- a/m.py\n+++ b/m.py\n@@ -2,2 +2,3 @@\n-b\n+B\n c\n+c2\n")
    assert touched_lines(edit) == {2, 3, 4}  # b replaced; an insertion between c (3) and d (4)


def test_a_link_is_never_followed_even_to_a_file_of_the_project(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("A = 1\n")
    (tmp_path / "alias.py").symlink_to(tmp_path / "m.py")
    with pytest.raises(PatchError, match=r"changes alias.py through a symbolic link \(alias.py\)"):
        edits_from_patch(tmp_path, "--- a/alias.py\n+++ b/alias.py\n@@ -1 +1 @@\n-A = 1\n+A = 2\n")
    assert (tmp_path / "m.py").read_text() == "A = 1\n"
