"""Putting edits and proof tests into a copy: merging, refusing stale or unsafe ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenfix.model import FileEdit, ProofTest
from provenfix.verify._edits import EditProblem, apply_edits, check_path, merge_edits, write_proof

BASE = "import os\n\ndef a():\n    return 1\n\ndef b():\n    return 2\n"


def test_edits_of_the_same_original_merge_when_disjoint() -> None:
    first = FileEdit(path="m.py", before=BASE, after=BASE.replace("return 1", "return 10"))
    second = FileEdit(path="m.py", before=BASE, after=BASE.replace("return 2", "return 20"))
    assert merge_edits([first, second]) == [
        FileEdit(path="m.py", before=BASE, after=BASE.replace("return 1", "return 10").replace("return 2", "return 20"))
    ]


def test_insertions_at_the_same_place_are_both_kept_once() -> None:
    shlex = FileEdit(path="m.py", before=BASE, after="import shlex\n" + BASE.replace("return 1", "return 10"))
    secrets = FileEdit(path="m.py", before=BASE, after="import secrets\n" + BASE)
    again = FileEdit(path="m.py", before=BASE, after="import shlex\n" + BASE)
    (merged,) = merge_edits([shlex, secrets, again])
    assert merged.after == "import shlex\nimport secrets\n" + BASE.replace("return 1", "return 10")


def test_chained_edits_compose_and_overlapping_ones_conflict() -> None:
    step1 = BASE.replace("return 1", "return 10")
    step2 = step1.replace("return 2", "return 20")
    chained = merge_edits([FileEdit(path="m.py", before=BASE, after=step1), FileEdit(path="m.py", before=step1, after=step2)])
    assert chained == [FileEdit(path="m.py", before=BASE, after=step2)]
    with pytest.raises(EditProblem, match="overlap"):
        merge_edits(
            [
                FileEdit(path="m.py", before=BASE, after=BASE.replace("return 1", "return 10")),
                FileEdit(path="m.py", before=BASE, after=BASE.replace("return 1", "return 11")),
            ]
        )
    with pytest.raises(EditProblem, match="different versions"):
        merge_edits([FileEdit(path="m.py", before=BASE, after="x\n"), FileEdit(path="m.py", before="y\n", after="z\n")])


@pytest.mark.parametrize("path", ["/etc/passwd", "../x.py", "a/../../x.py", "a//b.py", "", "a\\b.py"])
def test_paths_leaving_the_project_are_refused(path: str) -> None:
    with pytest.raises(EditProblem, match="not a plain relative path"):
        check_path(path, "edit")


def test_apply_checks_the_current_text_and_keeps_a_bom(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_bytes(b"\xef\xbb\xbf" + BASE.replace("\n", "\r\n").encode())
    crlf = BASE.replace("\n", "\r\n")
    with pytest.raises(EditProblem, match="does not apply"):
        apply_edits(tmp_path, [FileEdit(path="m.py", before=BASE, after="x")])  # LF text for a CRLF file
    apply_edits(tmp_path, [FileEdit(path="m.py", before=crlf, after="x = 1\r\n"), FileEdit(path="new.py", before="", after="y = 2\n")])
    assert (tmp_path / "m.py").read_bytes() == b"\xef\xbb\xbfx = 1\r\n"
    assert (tmp_path / "new.py").read_text() == "y = 2\n"


def test_proof_tests_must_be_python_files_inside(tmp_path: Path) -> None:
    write_proof(tmp_path, ProofTest(path="tests/security/test_p.py", code="def test_p():\n    pass\n"))
    assert (tmp_path / "tests/security/test_p.py").is_file()
    with pytest.raises(EditProblem, match="not a .py file"):
        write_proof(tmp_path, ProofTest(path="tests/conftest.txt", code=""))


@pytest.mark.parametrize("absolute", [True, False])
def test_a_link_to_a_sibling_prefixed_folder_is_outside(tmp_path: Path, absolute: bool) -> None:
    # /x/proj_evil starts with the string /x/proj: only a component-wise check keeps it out.
    root, evil = tmp_path / "proj", tmp_path / "proj_evil"
    (evil / "tests").mkdir(parents=True)
    (evil / "app.py").write_text("x = 1\n")
    root.mkdir()
    (root / "tests").symlink_to(evil / "tests" if absolute else Path("../proj_evil/tests"))
    (root / "app.py").symlink_to(evil / "app.py" if absolute else Path("../proj_evil/app.py"))
    with pytest.raises(EditProblem, match="leads outside the project"):
        write_proof(root, ProofTest(path="tests/security/test_p.py", code="def test_p():\n    pass\n"))
    with pytest.raises(EditProblem, match="leads outside the project"):
        apply_edits(root, [FileEdit(path="app.py", before="x = 1\n", after="x = 2\n")])
    assert sorted(p.relative_to(evil).as_posix() for p in evil.rglob("*")) == ["app.py", "tests"]
    assert (evil / "app.py").read_text() == "x = 1\n"
    inner = root / "pkg"
    inner.mkdir()
    (root / "alias").symlink_to(inner)  # a link that stays inside is fine
    write_proof(root, ProofTest(path="alias/test_p.py", code=""))
    assert (inner / "test_p.py").is_file()
