"""Which host folders a run's view exposes for an interpreter, decided without running it: a hostile
project's links and pyvenv.cfg can name any folder, and only real Python homes are taken."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from provenfix.verify._view import inside, python_dirs, sandbox_env, view_for


def test_the_real_interpreter_brings_its_venv_and_its_installation() -> None:
    dirs = python_dirs(sys.executable)
    assert sys.prefix in dirs or os.path.realpath(sys.prefix) in dirs
    assert any(os.path.isfile(os.path.join(d, "lib", f"python{sys.version_info[0]}.{sys.version_info[1]}", "os.py"))
               for d in dirs)


def test_links_and_pyvenv_cfg_cannot_expose_folders_that_are_not_python_homes(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text("PRIVATE KEY")
    (home / "bin").mkdir()
    venv = tmp_path / "proj" / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(f"home = {home / 'bin'}\n")
    (venv / "bin" / "python").symlink_to(home / ".ssh" / "id_rsa")
    (venv / "lib" / "python3.11" / "site-packages").mkdir(parents=True)
    (venv / "lib" / "python3.11" / "site-packages" / "evil.pth").write_text(f"{home}\n{home / '.ssh'}\n")
    dirs = python_dirs(str(venv / "bin" / "python"))
    assert [d for d in dirs if inside(d, str(home))] == []
    assert str(venv) in dirs  # the venv itself, read-only: the packages its tests need


def test_a_symlinked_command_is_not_bound_in_its_own_right(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret")
    link = tmp_path / "tool"
    link.symlink_to(secret)
    view = view_for([tmp_path / "work"], [], tmp_bytes=1, command=str(link))
    assert not any(inside(str(secret), p) or inside(str(link), p) for p in view.readable)


def test_sibling_prefixes_are_not_inside() -> None:
    assert inside("/base/x", "/base") and inside("/base", "/base")
    assert not inside("/base_evil/x", "/base") and not inside("/basement", "/base")


def test_the_environment_is_an_allow_list(tmp_path: Path, monkeypatch) -> None:
    for name, value in {"DATABASE_URL": "postgres://u:p@h/db", "GH_PAT": "ghp_x", "SENTRY_DSN": "https://k@s/1",
                        "SLACK_WEBHOOK_URL": "https://hooks/x", "MY_THING": "x", "LC_ALL": "C.UTF-8"}.items():
        monkeypatch.setenv(name, value)
    env = sandbox_env(tmp_path / "home", tmp_path / "tmp", {"EXTRA": "1"})
    assert set(env) <= {"PATH", "LANG", "LANGUAGE", "TZ", "LC_ALL", "HOME", "TMPDIR", "TMP", "TEMP",
                        "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED", "EXTRA"}
    assert env["LC_ALL"] == "C.UTF-8" and env["HOME"] == str(tmp_path / "home") and env["EXTRA"] == "1"
