import subprocess

import pytest

from devtools.listing import listed_names, long_listing


def test_long_listing(tmp_path):
    (tmp_path / "report.txt").write_text("x", encoding="utf-8")
    assert "report.txt" in long_listing(str(tmp_path))


def test_listed_names(tmp_path):
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert sorted(listed_names(str(tmp_path))) == ["a.txt", "b.txt"]


def test_shell_metacharacters_are_just_a_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(subprocess.CalledProcessError):
        long_listing("nothing; touch pwned")
    assert not (tmp_path / "pwned").exists()
