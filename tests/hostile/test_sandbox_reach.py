"""What a hostile project can reach when ProvenFix runs its code: its committed interpreter, its
tests. Nothing of the host: no key, no file outside the project, no host socket, no other process;
and nothing it provides runs outside the sandbox. Run through the real CLI, as root and, where
the machine allows, as an unprivileged user."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import write_tree

from tests._trees import pyproject

VULNERABLE = {"tools/__init__.py": "", "tools/disk.py": 'import os\n\n\ndef usage(path):\n    return os.system("du -sh " + path)\n'}
KEYS = {"OPENAI_API_KEY": "sk-CANARYopenai0123456789", "AWS_SECRET_ACCESS_KEY": "CANARYaws0123456789",
        "DATABASE_URL": "postgres://admin:CANARYdb@db/prod", "GH_PAT": "ghp_CANARY0123456789",
        "SENTRY_DSN": "https://CANARYsentry@o1.ingest.sentry.io/1", "SLACK_WEBHOOK_URL": "https://hooks.slack.com/CANARY"}


def _report(result: subprocess.CompletedProcess[str]) -> dict:
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)


def test_a_committed_interpreter_runs_only_inside_the_sandbox(cli, public_dir: Path) -> None:
    loot = public_dir / "loot.txt"  # outside the project: only a run on the host could write it
    host_secret = write_tree(public_dir / "outside", {"secret.txt": "CANARYfile"}) / "secret.txt"
    fake = textwrap.dedent(f"""\
        #!/bin/sh
        echo "ran as $(id -u): $OPENAI_API_KEY $AWS_SECRET_ACCESS_KEY $DATABASE_URL" >> {loot}
        cat {host_secret} >> {loot}
        if [ -n "$OPENAI_API_KEY$AWS_SECRET_ACCESS_KEY$DATABASE_URL$GH_PAT" ]; then exit 3; fi
        if [ -r {host_secret} ]; then exit 4; fi
        exec {cli.python} "$@"
        """)
    project = write_tree(public_dir / "proj", {
        **VULNERABLE, "pyproject.toml": pyproject("proj"),
        ".venv/bin/python": fake, ".venv/pyvenv.cfg": "home = /usr/bin\n",
    })
    (project / ".venv" / "bin" / "python").chmod(0o755)
    result = cli("fix", str(project), "--format", "json", env=KEYS)
    assert not loot.exists(), loot.read_text()  # never executed on the host
    report = _report(result)
    [fix] = report["fixes"]
    # The fake interpreter did run every test (inside): it found no key and no host file there.
    assert fix["status"] == "verified", fix.get("reason")
    assert "CANARY" not in result.stdout + result.stderr


REACH_TEST = '''
import errno, os, socket

OUTSIDE = {outside!r}
SOCKETS = {sockets!r}
MARKER = {marker!r}


def test_no_host_file():
    for path in OUTSIDE:
        try:
            open(path).read()
        except OSError:
            continue
        raise AssertionError(f"read {{path}}")


def test_no_key_in_the_environment():
    assert not [k for k, v in os.environ.items() if "CANARY" in v]


def test_no_host_socket():
    for path in SOCKETS:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
        except OSError:
            continue
        finally:
            s.close()
        raise AssertionError(f"connected to {{path}}")


def test_no_other_process():
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdline = open(f"/proc/{{pid}}/cmdline", "rb").read()
            except OSError:
                continue
            assert MARKER.encode() not in cmdline


def test_no_shadow_and_no_capability():
    assert not os.path.exists("/etc/shadow") or not os.access("/etc/shadow", os.R_OK)
    status = open("/proc/self/status").read()
    caps = {{line.split(":")[0]: int(line.split()[1], 16) for line in status.splitlines() if line.startswith("Cap")}}
    assert caps["CapEff"] == 0 and caps["CapPrm"] == 0 and caps["CapBnd"] == 0, caps
'''


@pytest.fixture
def host_socket(public_dir: Path) -> Iterator[list[str]]:
    """Listening Unix sockets on the host: one beside the project, one under /run when we may."""
    paths = [str(public_dir / "host.sock")]
    if os.access("/run", os.W_OK):
        paths.append(f"/run/provenfix-canary-{uuid.uuid4().hex[:8]}.sock")
    servers = []
    for path in paths:
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        os.chmod(path, 0o777)
        server.listen(1)
        servers.append(server)
    yield paths
    for server, path in zip(servers, paths):
        server.close()
        Path(path).unlink(missing_ok=True)


def test_project_tests_reach_nothing_of_the_host(cli, public_dir: Path, host_socket: list[str]) -> None:
    marker = f"provenfix-canary-process-{uuid.uuid4().hex}"
    home_canary = Path.home() / f".provenfix-canary-{uuid.uuid4().hex[:8]}"
    home_canary.write_text("CANARYhome")
    outside = write_tree(public_dir / "outside", {"secret.txt": "CANARYfile"}) / "secret.txt"
    outside.chmod(0o644)
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", marker])
    try:
        project = write_tree(public_dir / "proj", {
            **VULNERABLE, "pyproject.toml": pyproject("proj"),
            "tests/test_reach.py": REACH_TEST.format(outside=[str(outside), str(home_canary), "/etc/shadow"],
                                                     sockets=host_socket, marker=marker),
        })
        report = _report(cli("fix", str(project), "--format", "json", env={**KEYS, "PROVENFIX_CANARY": "CANARYenv"}))
    finally:
        process.kill()
        home_canary.unlink()
    [fix] = report["fixes"]
    suite = fix["evidence"]["suite_before"]["tests"]
    assert suite and all(outcome == "passed" for outcome in suite.values()), fix["evidence"]["suite_before"]
    assert len(suite) == 5
