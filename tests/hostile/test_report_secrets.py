"""A hostile project's tests print host secrets and terminal control bytes: no report may carry either.

The project's tests run in the sandbox, and what they print comes back as a run's output (evidence)
and as the reason a fix was rejected. Here the project's package raises with secrets as soon as it
sees its code patched (so the fix is rejected with that output as its reason), and its own suite
prints a private key, escape sequences and secrets (so the suite's output lands in the evidence).
Secrets come from the environment given to the CLI and, in case the sandbox keeps that environment
out, are planted in the project's code too, reversed: they exist only once the code runs (as a key
read from a file would), so a traceback quoting the code does not show them.
"""

from __future__ import annotations

import json
import unicodedata

import pytest

from provenfix.scrub import OUTPUT_LINE_CHARS, OUTPUT_LINES

from .conftest import run_cli, write_tree

from tests._trees import pyproject

AWS_ID = "AKIA" + "QWERTYUIOPASDFGH"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzCanaryKX"
PLANTED_PAT = "ghp_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVc"
PEM_BODY = ["MIIEowIBAAKCAQEAzQ8vCanaryPemBody0123456789abcdef", "Q2FuYXJ5UGVtQm9keVNlY29uZExpbmUwMTIzNDU2Nzg5"]
ENV = {
    "DATABASE_URL": "postgres://admin:S3cretCanary@db/prod",
    "GH_PAT": "ghp_" + "Cn4ryEnvPat0123456789abcdefghijklmnop",
    "SENTRY_DSN": "https://4f2a9c1d7e3b4a5c:S3ntrySecretCanary9@o12.ingest.sentry.io/34",  # legacy: has a secret
    "SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T0CANARY0/B0CANARY0/SlackCanary0123456789xyz",
}
SECRETS = [AWS_ID, AWS_SECRET, PLANTED_PAT, *PEM_BODY, "S3cretCanary", ENV["GH_PAT"], "S3ntrySecretCanary9",
           "SlackCanary0123456789xyz"]
# Bytes that set the window title, clear the screen, move the cursor back, reorder what is read.
# As escapes in the project's code, raw bytes in what it prints. INLINE_BYTES open a message, so a reason
# (one line: the first of the message) shows them; the line breaks (NEL, a lone CR) come later.
INLINE_BYTES = "\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31m\\x08\\x9b31m\\u202e\\u2066"
HOSTILE_BYTES = INLINE_BYTES + "\\x85\\r"

PROJECT = {
    "tools/disk.py": """\
        import os

        def usage(path):
            return os.system("du -sh " + path)
    """,
    # Patched code makes the package raise with secrets: the proof test fails on it, and the output is the reason.
    "tools/__init__.py": f"""\
        import os

        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "disk.py")) as f:
            if '"du -sh " + path' not in f.read():
                print("LEAK-MARKER {HOSTILE_BYTES}", *(os.environ.get(k) for k in {sorted(ENV)!r}))
                raise AssertionError("{INLINE_BYTES}aws_secret=" + {AWS_SECRET[::-1]!r}[::-1] + " "
                                     + {PLANTED_PAT[::-1]!r}[::-1] + " " + {AWS_ID[::-1]!r}[::-1] + " {HOSTILE_BYTES} "
                                     + " ".join(str(os.environ.get(k)) for k in {sorted(ENV)!r}))
    """,
    "app/__init__.py": "",
    "app/shell.py": """\
        import os

        def line_count(filename):
            return os.popen("wc -l " + filename).read()
    """,
    # The project's own suite: its output is the baseline's and the patched suite's evidence.
    "tests/test_leak.py": f"""\
        import os

        def test_prints_what_it_read():
            print("-----BEGIN RSA PRIVATE KEY-----")
            print({PEM_BODY[0][::-1]!r}[::-1])
            print({PEM_BODY[1][::-1]!r}[::-1])
            print("-----END RSA PRIVATE KEY-----")
            print("SUITE-MARKER {HOSTILE_BYTES}", *(os.environ.get(k) for k in {sorted(ENV)!r}))
            raise AssertionError("config: aws_secret_access_key=" + {AWS_SECRET[::-1]!r}[::-1] + " {HOSTILE_BYTES}")
    """,
}


def _raw_controls(text: str) -> set[str]:
    return {c for c in text if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")}


def _windows(secret: str, size: int = 10) -> list[str]:
    return [secret[i:i + size] for i in range(max(1, len(secret) - size + 1))]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The same hostile project fixed once per report format, through the real CLI (a module fixture:
    `hostile_project` is per test, and five fix runs are enough)."""
    root = tmp_path_factory.mktemp("hostile")
    made: dict[str, str] = {}
    for fmt in ("text", "json", "sarif", "markdown", "html"):
        project = write_tree(root / fmt, {"pyproject.toml": pyproject("proj"), **PROJECT})
        out = root / f"report.{fmt}"
        done = run_cli("fix", str(project), "--engine", "builtin", "--format", fmt, "--output", str(out), env=ENV)
        assert done.returncode == 1, done.stderr  # a fix rejected: findings remain
        assert "Traceback" not in done.stderr, done.stderr
        for secret in SECRETS:
            assert secret not in done.stderr and secret not in done.stdout
        made[fmt] = out.read_text(encoding="utf-8")
    return made


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "html"])
def test_no_report_carries_a_secret(reports: dict[str, str], fmt: str) -> None:
    report = reports[fmt]
    for secret in SECRETS:
        leaked = [w for w in _windows(secret) if w in report]
        assert not leaked, f"{fmt} report shows {secret!r} (or part of it: {leaked[:3]})"
    assert "[REDACTED:" in report  # the leaking output did reach the report, scrubbed


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "html"])
def test_no_report_carries_a_raw_control_byte(reports: dict[str, str], fmt: str) -> None:
    assert not _raw_controls(reports[fmt]), f"{fmt} report carries {sorted(map(repr, _raw_controls(reports[fmt])))}"


def test_json_keeps_a_bounded_scrubbed_excerpt_of_each_run(reports: dict[str, str]) -> None:
    data = json.loads(reports["json"])
    rejected = next(fix for fix in data["fixes"] if fix["status"] == "rejected")
    assert "[REDACTED:" in rejected["reason"] and "\n" not in rejected["reason"], rejected["reason"]
    tails = [run["output_tail"] for fix in data["fixes"] if fix["evidence"]
             for key in ("proof_before", "proof_after", "suite_before", "suite_after")
             if (run := fix["evidence"][key]) is not None]
    assert any("LEAK-MARKER" in tail for tail in tails), tails  # the patched package's output is there ...
    # ... and the suite's
    assert any("SUITE-MARKER" in tail and "-----BEGIN RSA PRIVATE KEY-----" in tail for tail in tails)
    for tail in tails:
        lines = tail.split("\n")
        assert len(lines) <= OUTPUT_LINES and all(len(line) <= OUTPUT_LINE_CHARS for line in lines), tail
    # Parsed, the JSON holds no control character either (json.dumps would have kept them as escapes).
    assert not any(_raw_controls(tail) for tail in tails)
