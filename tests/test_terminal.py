"""The CLI on a real terminal (a pty), in a log (pipes), with --quiet, and under Ctrl-C.

On a terminal the progress is a live line on stderr (the step with its counts, the time so far) and
the report's diff is coloured; in a log it is plain `provenfix: ...` lines; the report on stdout
never carries progress. Ctrl-C is the terminal's own: ^C typed into the pty.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests._trees import tree

CASE = Path(__file__).parent / "cases" / "cmdi-os-system-concat" / "project"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
INTERRUPTED = "provenfix: interrupted; nothing was left half-written"


@dataclass
class Terminal:
    code: int
    stderr: str  # what the terminal showed (stderr), escapes and all
    stdout: str  # the report, from a second terminal or a pipe


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "COLUMNS")}
    return {**env, "TERM": "xterm-256color"}


def on_terminal(*args: str, stdout_tty: bool = True, interrupt_on: str | None = None, timeout: float = 120) -> Terminal:
    """Run `python -m provenfix ARGS` with a pty as its controlling terminal and stderr (and stdin);
    stdout is a second pty or a pipe. With `interrupt_on`, ^C is typed once that text has shown."""
    out_master, out_slave = pty.openpty() if stdout_tty else os.pipe()
    pid, master = pty.fork()
    if pid == 0:  # the child: the pty is its terminal; stdout goes to the second one
        try:
            os.dup2(out_slave, 1)
            os.execve(sys.executable, [sys.executable, "-m", "provenfix", *args], _env())
        finally:
            os._exit(127)  # never back into pytest
    os.close(out_slave)
    data = {master: b"", out_master: b""}
    reading, typed = set(data), False
    try:
        while reading:
            ready, _, _ = select.select(list(reading), [], [], timeout)
            assert ready, f"no output for {timeout} s: {data[master][-2000:]!r}"
            for fd in ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the child closed its side of the pty
                    chunk = b""
                data[fd] += chunk
                if not chunk:
                    reading.discard(fd)
            if interrupt_on and not typed and interrupt_on.encode() in data[master]:
                os.write(master, b"\x03")  # the terminal turns ^C into SIGINT for its foreground group
                typed = True
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # a hung run must not hang the suite
        raise
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(master)
        os.close(out_master)
    text = {fd: raw.decode("utf-8", "replace") for fd, raw in data.items()}
    return Terminal(os.waitstatus_to_exitcode(status), text[master], text[out_master])


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "provenfix", *args], capture_output=True, text=True, timeout=300,
                          env={k: v for k, v in os.environ.items() if k != "FORCE_COLOR"})


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("terminal") / "project"
    shutil.copytree(CASE, root)
    return root


@pytest.fixture(scope="module")
def fixed_on_terminal(project: Path) -> Terminal:
    """One real `fix` with stderr and stdout on terminals of their own."""
    return on_terminal("fix", str(project))


def test_progress_is_live_on_the_terminal_with_counts_and_time(fixed_on_terminal: Terminal) -> None:
    shown = ANSI.sub("", fixed_on_terminal.stderr)
    assert fixed_on_terminal.code == 0, shown[-2000:]
    assert "scanning 2 file(s) in project" in shown and "found 1 finding(s) in 2 file(s)" in shown, shown
    assert "verifying PF-CMD at workspace_tools/workspace.py:20 (1 of 1)" in shown, shown
    assert re.search(r"\d:\d\d:\d\d", shown), shown  # the elapsed time
    assert "\r" in fixed_on_terminal.stderr and "\x1b[2K" in fixed_on_terminal.stderr  # one line, redrawn
    assert "provenfix: scanning" not in shown  # not the log's plain lines


def test_the_report_on_a_terminal_has_a_coloured_diff_and_no_progress(fixed_on_terminal: Terminal) -> None:
    report = fixed_on_terminal.stdout
    plain = ANSI.sub("", report)
    assert plain.startswith("ProvenFix ") and " · fix of " in plain.splitlines()[0], plain[:300]
    assert "scanning" not in plain and "verifying" not in plain and "0:00:" not in plain
    added = next(line for line in report.splitlines() if ANSI.sub("", line).startswith("+") and "subprocess" in line)
    assert ANSI.search(added), added  # syntax colour on the diff's lines


def test_in_a_log_progress_is_plain_lines_and_the_report_plain_text(project: Path) -> None:
    scanned = run("scan", "--no-cache", str(project))
    assert scanned.returncode == 1, scanned.stderr
    assert scanned.stderr.splitlines()[0] == "provenfix: scanning 2 file(s) in project", scanned.stderr
    assert "\x1b" not in scanned.stderr + scanned.stdout and "scanning" not in scanned.stdout


def test_quiet_shows_no_progress_but_still_the_warnings(project: Path, tmp_path: Path) -> None:
    noisy = tmp_path / "noisy"
    shutil.copytree(project, noisy)
    config = noisy / "pyproject.toml"
    config.write_text(config.read_text().replace("[tool.provenfix]\n", '[tool.provenfix]\nentyr = "public-api"\n'))
    out = tmp_path / "report.json"
    quiet = on_terminal("scan", "--no-cache", "-q", "-f", "json", "-o", str(out), str(noisy), stdout_tty=False)
    assert quiet.code == 1
    assert ANSI.sub("", quiet.stderr).splitlines() == [
        "provenfix: warning: unknown key [tool.provenfix] entyr (ignored; did you mean entry?)"]
    assert out.read_text().startswith("{")  # the report, and no "report written to" note


def test_fix_with_no_findings_says_fix_of(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    done = run("fix", "--quiet", str(tmp_path))
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.splitlines()[0].endswith(f" · fix of {tmp_path}"), done.stdout


def test_ctrl_c_on_the_terminal_says_nothing_was_left_half_written(project: Path) -> None:
    before = tree(project)
    stopped = on_terminal("fix", "--apply", str(project), stdout_tty=False,
                          interrupt_on="running the project's own tests")
    shown = ANSI.sub("", stopped.stderr)
    assert stopped.code == 130, shown[-2000:]
    assert shown.count(INTERRUPTED) == 1 and "Traceback" not in shown, shown[-2000:]
    assert shown.rstrip().splitlines()[-1].strip() == INTERRUPTED
    assert stopped.stdout == ""  # no half report
    assert tree(project) == before  # and it is true: the tree is as it was


def test_a_hostile_folder_name_cannot_drive_the_terminal_through_the_progress_line(tmp_path: Path) -> None:
    """The progress line names the project: its escape sequences are shown, and `[...]` is not Rich markup."""
    evil = tmp_path / "app[bold red]\x1b]0;pwned\x07"
    evil.mkdir()
    (evil / "app.py").write_text("x = 1\n")
    shown = on_terminal("scan", "--no-cache", str(evil), stdout_tty=False)
    assert shown.code == 0, shown.stderr
    assert "\x1b]0;pwned" not in shown.stderr and "\x07" not in shown.stderr
    assert "in app[bold red]\\x1b]0;pwned\\x07" in ANSI.sub("", shown.stderr)


def test_version_option_and_command_agree() -> None:
    from importlib.metadata import version

    by_option, by_command = run("--version"), run("version")
    assert by_option.returncode == by_command.returncode == 0
    assert by_option.stdout == by_command.stdout == f"{version('provenfix')}\n"
