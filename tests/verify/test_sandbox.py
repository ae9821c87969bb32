"""The sandbox, exercised with real pytest runs in real sandboxes."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from provenfix.verify.sandbox import copy_project, run_pytest, run_sandboxed, sandbox_env

from .conftest import PYTHON, processes_with_env, tree_digest, write_tree


def test_copy_skips_tool_dirs_and_links_leaving_the_project(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"secret.txt": "s3cret"})
    root = write_tree(
        tmp_path / "proj",
        {
            "app/core.py": "X = 1\n",
            ".git/HEAD": "ref\n",
            ".venv/bin/python": "",
            "pkg.egg-info/PKG-INFO": "",
            "app/__pycache__/core.cpython-311.pyc": "",
            "build/lib/x.py": "",
            "notes/build.txt": "a file named like a skipped dir is kept",
        },
    )
    (root / "inside_link").symlink_to(root / "app" / "core.py")  # absolute, but inside
    (root / "outside_link").symlink_to(outside / "secret.txt")
    dest = tmp_path / "copy"

    copy_project(root, dest)

    copied = sorted(str(p.relative_to(dest)) for p in dest.rglob("*"))
    assert copied == ["app", "app/core.py", "inside_link", "notes", "notes/build.txt"]
    link = dest / "inside_link"
    assert link.is_symlink() and link.resolve() == (dest / "app" / "core.py").resolve()


def test_environment_drops_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-planted")
    monkeypatch.setenv("MY_SECRET_TOKEN", "planted")
    monkeypatch.setenv("PYTEST_ADDOPTS", "-x")
    monkeypatch.setenv("LANG", "C.UTF-8")

    env = sandbox_env(tmp_path / "home", tmp_path / "tmp", {"EXTRA": "1"})

    assert "OPENAI_API_KEY" not in env and "MY_SECRET_TOKEN" not in env and "PYTEST_ADDOPTS" not in env
    assert env["LANG"] == "C.UTF-8" and env["EXTRA"] == "1"
    assert env["HOME"] == str(tmp_path / "home") and env["TMPDIR"] == str(tmp_path / "tmp")
    assert env["PYTHONHASHSEED"] == "0" and env["PYTHONDONTWRITEBYTECODE"] == "1"


def test_outcome_of_each_kind_of_run(make_project) -> None:
    root = make_project(
        {
            "calc.py": "def add(a, b):\n    return a + b\n",
            "tests/test_ok.py": "from calc import add\ndef test_add():\n    assert add(1, 2) == 3\n",
            "tests/test_assert.py": """
                import pytest
                from calc import add
                def test_wrong():
                    assert add(1, 2) == 4
                def test_fail_call():
                    pytest.fail("explicit")
            """,
            "tests/test_error.py": "def test_boom():\n    raise KeyError('x')\n",
            "tests/test_import.py": "from calc import missing\ndef test_never():\n    pass\n",
            "tests/test_fixture.py": """
                import pytest
                @pytest.fixture
                def broken():
                    raise RuntimeError("fixture")
                def test_uses(broken):
                    pass
            """,
            "tests/test_empty.py": "X = 1\n",
        }
    )

    def run(path: str):
        return run_pytest(root, [path], python=PYTHON)

    ok = run("tests/test_ok.py")
    assert (ok.outcome, ok.exit_code, ok.tests) == ("passed", 0, {"tests/test_ok.py::test_add": "passed"})
    assertion = run("tests/test_assert.py")
    assert assertion.outcome == "failed-assertion"
    assert assertion.tests == {"tests/test_assert.py::test_wrong": "failed", "tests/test_assert.py::test_fail_call": "failed"}
    assert "assert 3 == 4" in assertion.output_tail
    assert run("tests/test_error.py").outcome == "failed-error"
    imported = run("tests/test_import.py")
    assert imported.outcome == "failed-error" and imported.tests == {"tests/test_import.py": "error"}
    fixture = run("tests/test_fixture.py")
    assert fixture.outcome == "failed-error" and fixture.tests == {"tests/test_fixture.py::test_uses": "error"}
    assert run("tests/test_empty.py").outcome == "no-tests"


def test_credentials_are_not_visible_inside(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-planted")
    monkeypatch.setenv("MY_SECRET_TOKEN", "planted")
    root = make_project(
        {
            "tests/test_env.py": """
                import os, tempfile
                def test_no_credentials():
                    assert os.environ["VISIBLE"] == "yes"  # the environment does get through
                    assert "OPENAI_API_KEY" not in os.environ
                    assert "MY_SECRET_TOKEN" not in os.environ
                    assert "planted" not in repr(dict(os.environ))
                def test_home_and_tmp_are_sandboxed():
                    assert os.environ["HOME"] != os.path.expanduser("~root")
                    assert tempfile.gettempdir() == os.environ["TMPDIR"]
                    assert os.path.isdir(os.environ["HOME"])
            """
        }
    )
    run = run_pytest(root, ["tests/test_env.py"], python=PYTHON, extra_env={"VISIBLE": "yes"})
    assert run.outcome == "passed", run.output_tail


@pytest.mark.usefixtures("needs_namespace")
def test_no_network_even_to_the_hosts_loopback(make_project) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        socket.create_connection(("127.0.0.1", port), timeout=2).close()  # reachable from the host
        server.accept()[0].close()
        root = make_project(
            {
                "tests/test_net.py": f"""
                    import socket
                    def test_reach_host():
                        socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
                """
            }
        )
        run = run_pytest(root, ["tests/test_net.py"], python=PYTHON)
        server.setblocking(False)
        with pytest.raises(BlockingIOError):
            server.accept()  # nobody connected
    assert run.outcome == "failed-error"
    assert "Network is unreachable" in run.output_tail or "Errno" in run.output_tail


def test_fork_bomb_is_stopped_fast_and_leaves_nothing(make_project) -> None:
    tag = f"PF_BOMB_{uuid.uuid4().hex}"
    root = make_project(
        {
            "tests/test_bomb.py": """
                import os
                def test_bomb():
                    while True:
                        os.fork()
            """
        }
    )
    started = time.monotonic()
    run = run_pytest(root, ["tests/test_bomb.py"], python=PYTHON, max_procs=64, extra_env={tag: "1"})
    elapsed = time.monotonic() - started
    assert run.outcome == "killed", run.output_tail
    assert elapsed < 20
    deadline = time.monotonic() + 5
    while processes_with_env(tag) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_with_env(tag) == []


def test_background_processes_die_with_the_run(make_project, isolation: str) -> None:
    if "own pid namespace" not in isolation and "unprivileged per-run uid" not in isolation:
        pytest.skip(f"neither a pid namespace nor a uid of its own to clean up with: {isolation}")
    tag = f"PF_DAEMON_{uuid.uuid4().hex}"
    root = make_project(
        {
            "tests/test_daemon.py": """
                import subprocess
                def test_spawn_daemon():
                    subprocess.Popen(["sleep", "300"], start_new_session=True)
            """
        }
    )
    run = run_pytest(root, ["tests/test_daemon.py"], python=PYTHON, extra_env={tag: "1"})
    assert run.outcome == "passed", run.output_tail
    assert processes_with_env(tag) == []


def test_memory_hog_is_killed(make_project) -> None:
    root = make_project({"tests/test_hog.py": "def test_hog():\n    block = bytearray(10 * 1024**3)\n"})
    run = run_pytest(root, ["tests/test_hog.py"], python=PYTHON, memory_mb=1024)
    assert run.outcome == "killed", run.output_tail


def test_hanging_test_fails_alone_by_per_test_timeout(make_project) -> None:
    root = make_project(
        {
            "tests/test_slow.py": """
                import time
                def test_hangs():
                    time.sleep(60)
                def test_fine():
                    pass
            """
        }
    )
    run = run_pytest(root, ["tests/test_slow.py"], python=PYTHON, per_test_timeout_s=1)
    assert run.tests == {"tests/test_slow.py::test_hangs": "failed", "tests/test_slow.py::test_fine": "passed"}
    assert run.outcome == "timeout"
    assert run.duration_s < 15
    assert "per-test timeout" in run.output_tail


def test_test_swallowing_the_timeout_stops_the_run(make_project) -> None:
    root = make_project(
        {
            "tests/test_stubborn.py": """
                import time
                def test_stubborn():
                    while True:
                        try:
                            time.sleep(60)
                        except BaseException:
                            pass
            """
        }
    )
    run = run_pytest(root, ["tests/test_stubborn.py"], python=PYTHON, per_test_timeout_s=1)
    assert run.outcome == "timeout"
    assert run.tests == {"tests/test_stubborn.py::test_stubborn": "failed"}
    assert run.duration_s < 15


def test_whole_run_time_limit_kills_everything(make_project) -> None:
    tag = f"PF_SLOW_{uuid.uuid4().hex}"
    root = make_project(
        {
            "tests/test_slow.py": """
                import signal, time
                def test_ignores_alarm():
                    signal.signal(signal.SIGALRM, signal.SIG_IGN)
                    time.sleep(60)
            """
        }
    )
    run = run_pytest(root, ["tests/test_slow.py"], python=PYTHON, timeout_s=2, extra_env={tag: "1"})
    assert run.outcome == "timeout" and run.exit_code is None
    assert run.duration_s < 10
    assert "time limit" in run.output_tail
    assert processes_with_env(tag) == []


def test_config_and_conftest_above_the_copy_are_ignored(tmp_path: Path) -> None:
    # A hostile pytest.ini / conftest.py in a parent directory (think /tmp) must not apply.
    write_tree(
        tmp_path,
        {
            "pytest.ini": "[pytest]\naddopts = -k nothing_matches\n",
            "conftest.py": "raise RuntimeError('parent conftest loaded')\n",
        },
    )
    root = write_tree(tmp_path / "proj", {"tests/test_a.py": "def test_a():\n    pass\n"})
    run = run_pytest(root, ["tests/test_a.py"], python=PYTHON)
    assert run.outcome == "passed", run.output_tail


@pytest.mark.skipif(os.geteuid() != 0, reason="only root has a uid to drop")
def test_tests_run_unprivileged_and_cannot_write_outside(make_project, isolation: str) -> None:
    # An ordinary, world-readable directory, as most projects are (pytest's tmp_path is not),
    # and one the sandbox sees (its /tmp is a private one).
    precious = write_tree(Path(tempfile.mkdtemp(prefix="pf-precious-", dir="/var/tmp")), {"data.txt": "keep"})
    precious.chmod(0o755)
    before = tree_digest(precious)
    root = make_project(
        {
            "tests/test_escape.py": f"""
                import errno, os, pytest
                def test_unprivileged():
                    assert os.getuid() != 0 and os.geteuid() != 0
                def test_cannot_write_outside():
                    # not permitted (the uid), a read-only file system, or not there at all (the view)
                    for name in ("pwned", "data.txt"):
                        with pytest.raises(OSError) as raised:
                            open(os.path.join({str(precious)!r}, name), "w")
                        assert raised.value.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT)
            """
        }
    )
    run = run_pytest(root, ["tests/test_escape.py"], python=PYTHON)
    try:
        if "runs as root" in isolation:
            assert run.outcome == "failed-assertion"  # the weaker fallback, and the test notices
        else:
            assert run.outcome == "passed", run.output_tail
        assert tree_digest(precious) == before
    finally:
        shutil.rmtree(precious)


def test_run_sandboxed_runs_any_command(tmp_path: Path) -> None:
    work = write_tree(tmp_path / "w", {"hello.py": "import os\nprint('hi from', os.getcwd())\n"})
    done = run_sandboxed([PYTHON, "hello.py"], work, timeout_s=30)
    assert done.exit_code == 0 and "hi from" in done.output_tail
    failed = run_sandboxed([PYTHON, "-c", "raise SystemExit(3)"], work, timeout_s=30)
    assert failed.exit_code == 3
