"""What a sandboxed run printed, made safe for a report: secrets redacted, control bytes out, bounded."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata

import pytest

from provenfix import scrub
from provenfix.model import BehaviourCheck, Finding, Fix, Location, ModelFailure, RunResult, Severity, Status, Verdict
from provenfix.scrub import (
    OUTPUT_LINE_CHARS,
    OUTPUT_LINES,
    json_safe,
    scrub_line,
    scrub_output,
    scrub_value,
    show_controls,
    strip_controls,
)

AWS_ID = "AKIA" + "QWERTYUIOPASDFGH"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKX"
GH_PAT = "ghp_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVc"
PEM_BODY = ["MIIEowIBAAKCAQEAzQ8vCanaryPemBody0123456789abcdef", "Q2FuYXJ5UGVtQm9keVNlY29uZExpbmUwMTIzNDU2Nzg5"]
PEM = "\n".join(["-----BEGIN RSA PRIVATE KEY-----", *PEM_BODY, "-----END RSA PRIVATE KEY-----"])
# Every raw byte a hostile test could print to drive or fool the reader's terminal.
CONTROLS = ["\x1b", "\x07", "\x08", "\r", "\x00", "\x7f", "\x9b", "\x9d", "\x85", "\u202e", "\u2066", "\u200f",
            "\u2028", "\ufeff", "\U000e0041", "\ue000"]


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")]


def test_secrets_in_test_output_are_redacted() -> None:
    output = "\n".join([
        f"E   AssertionError: {AWS_ID} aws_secret_access_key={AWS_SECRET}",  # after other words, at the line's end
        f"token was {GH_PAT}",
        "DATABASE_URL=postgres://admin:S3cretCanary@db/prod",
        PEM,
        f"FAILED tests/test_leak.py::test_x - AssertionError: {AWS_ID[:7]}...",  # pytest's cut summary line
    ])
    shown = scrub_output(output)
    for secret in (AWS_ID, AWS_SECRET, GH_PAT, "S3cretCanary", *PEM_BODY, AWS_ID[:7]):
        assert secret not in shown
    assert "aws_secret_access_key=[REDACTED:aws-secret-key]" in shown
    assert "[REDACTED:github-token]" in shown and "[REDACTED:private-key]" in shown
    assert "-----BEGIN RSA PRIVATE KEY-----" in shown  # the reader still sees what was there


def test_a_control_character_glued_to_a_secret_does_not_hide_it() -> None:
    """The redactor sees controls as the word breaks they are; escaped first, they would glue words together."""
    shown = scrub_output(f"E   AssertionError: \u2066{GH_PAT}\x08aws_secret={AWS_SECRET}\x1b[0m{AWS_ID}")
    assert GH_PAT not in shown and AWS_SECRET not in shown and AWS_ID not in shown, shown
    assert "\\u2066[REDACTED:github-token]\\x08aws_secret=" in shown


def test_private_use_characters_never_turn_into_marks() -> None:
    """Marks of an earlier scrub stand aside as private-use code points while the redactor runs."""
    assert scrub_output("\ue000 \ue001 [REDACTED:token]") == "\\ue000 \\ue001 [REDACTED:token]"


def test_a_host_environment_secret_printed_bare_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """`raise AssertionError(os.environ["DB_PASSWORD"])` prints the value with no name to know it by."""
    monkeypatch.setenv("DB_PASSWORD", "hunter2canary77")
    monkeypatch.setenv("DATABASE_URL", "postgres://admin:S3cretCanary@db/prod")
    shown = scrub_output("E   AssertionError: hunter2canary77\nconnecting with S3cretCanary")
    assert "hunter2canary77" not in shown and "S3cretCanary" not in shown
    assert shown == "E   AssertionError: [REDACTED:password]\nconnecting with [REDACTED:url-credentials]"


@pytest.mark.parametrize("control", CONTROLS)
def test_no_control_character_survives(control: str) -> None:
    text = f"before{control}\nafter"  # a line break after it: an ESC or CSI takes the bytes that follow
    for scrubbed in (scrub_output(text), scrub_line(text), strip_controls(text), show_controls(text),
                     scrub_value([{"k": text}])[0]["k"]):
        assert control not in scrubbed and not _raw_controls(scrubbed), repr(scrubbed)
        assert "before" in scrubbed and "after" in scrubbed


def test_escape_sequences_are_dropped_and_other_controls_shown() -> None:
    printed = ("\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
               " \u202etxt.exe \x07")
    assert strip_controls(printed) == "red link \\u202etxt.exe \\x07"
    # Code keeps every byte visible, an escape sequence too: a reviewer must see what the patch contains.
    assert show_controls('print("\x1b[2J")\r\n') == 'print("\\x1b[2J")\n'


def test_a_lone_carriage_return_cannot_overwrite_a_line() -> None:
    assert strip_controls("FAILED test_x\rPASSED everything") == "FAILED test_x\nPASSED everything"
    assert scrub_line("FAILED test_x\rPASSED everything") == "FAILED test_x PASSED everything"


def test_every_invisible_or_control_character_is_escaped() -> None:
    hidden = "".join(chr(c) for c in range(sys.maxunicode + 1)
                     if chr(c) not in "\n\t" and unicodedata.category(chr(c)) in ("Cc", "Cf", "Cs", "Zl", "Zp"))
    assert not _raw_controls(show_controls(hidden))
    assert not _raw_controls(strip_controls(hidden))


def test_output_is_bounded_to_its_last_lines() -> None:
    output = "\n".join(f"line {i} " + "x" * 1000 for i in range(500))
    shown = scrub_output(output).split("\n")
    assert len(shown) == OUTPUT_LINES and shown[-1].startswith("line 499 ")
    assert all(len(line) <= OUTPUT_LINE_CHARS for line in shown)
    assert shown[-1].endswith("…")
    assert len(scrub_output("y" * 10_000_000)) == OUTPUT_LINE_CHARS  # one huge line: bounded work, bounded text


def test_a_reason_is_one_bounded_line() -> None:
    reason = scrub_line("failed:\n" + "\n".join(f"E  detail {i}" for i in range(200)), limit=120)
    assert "\n" not in reason and len(reason) == 120 and reason.startswith("failed: E detail 0 E detail 1")


def test_scrubbing_twice_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Verdict's reason becomes a Fix's; a report is read back: the marks must survive a second pass."""
    monkeypatch.setenv("GH_PAT", GH_PAT)
    text = f"{PEM}\nE   AssertionError: {AWS_ID} aws_secret_access_key={AWS_SECRET} {GH_PAT}\n\x1b[2J\u202e"
    once = scrub_output(text)
    assert scrub_output(once) == once
    assert scrub_line(scrub_line(text)) == scrub_line(text)
    assert "[REDACTED:private-key]" in scrub_line(text)


def test_json_safe_keeps_the_data_and_writes_no_raw_control() -> None:
    data = {"tail": "a\u202eb\u2028c\x9bd\U000e0041é ✅"}
    document = json_safe(json.dumps(data, ensure_ascii=False))
    assert json.loads(document) == data
    assert not _raw_controls(document) and "é ✅" in document


def _finding() -> Finding:
    return Finding(id="f1", rule_id="PF-CMD", cwe=78, severity=Severity.HIGH, confidence="high",
                   location=Location(path="tools/disk.py", start_line=4, end_line=4), message="shell")


def test_models_scrub_what_came_out_of_a_run() -> None:
    """Where run output enters the model, so every report format (and the JSON) gets the scrubbed text."""
    leak = f"E   AssertionError: {GH_PAT}\n\x1b]0;pwned\x07\u202e"
    run = RunResult(outcome="failed-error", exit_code=1, duration_s=0.1, output_tail="\n".join(["x"] * 100 + [leak]))
    assert GH_PAT not in run.output_tail and not _raw_controls(run.output_tail)
    assert len(run.output_tail.split("\n")) == OUTPUT_LINES
    assert str(OUTPUT_LINES) in (RunResult.model_fields["output_tail"].description or "")
    for reason in (Verdict(status=Status.REJECTED, reason=leak).reason,
                   Fix(finding=_finding(), status=Status.REJECTED, reason=leak).reason,
                   BehaviourCheck(unavailable=leak).unavailable,
                   ModelFailure(model="m:x", kind="error", detail=leak).detail):
        assert reason is not None and GH_PAT not in reason and "\n" not in reason and not _raw_controls(reason)
    observed = BehaviourCheck(before=[{"returned": GH_PAT, "files": {"out\x1b[2J": "\u202e"}}]).before
    assert observed == [{"returned": "[REDACTED:github-token]", "files": {"out": "\\u202e"}}]
    # Read back from a JSON report: the same text, not scrubbed into something else.
    assert RunResult.model_validate_json(run.model_dump_json()) == run


def test_the_redactor_is_imported_without_the_model_client() -> None:
    """The model engine's own redactor, yet importing the data model must not load pydantic-ai."""
    assert scrub.redact.__module__ == "provenfix.llm.redact"
    code = "import sys, provenfix.model; print('pydantic_ai' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
