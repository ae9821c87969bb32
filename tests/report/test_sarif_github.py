"""SARIF against what GitHub code scanning documents it needs ("SARIF support for code scanning"):
an analysis category (`automationDetails.id`), our own `partialFingerprints`, rule `help` in text and
Markdown, `security-severity` as a string, `precision`, and the hard limits past which it rejects an upload."""

from __future__ import annotations

import json
from typing import Any

from provenfix.model import Finding, FlowStep, Report, Severity
from provenfix.report.sarif import AUTOMATION_ID, MAX_RESULTS, MAX_THREAD_FLOW_LOCATIONS, render_sarif, sarif_log

from .conftest import VERSION


def _run(report: Report) -> dict[str, Any]:
    return json.loads(render_sarif(report, version=VERSION))["runs"][0]


def test_run_names_its_analysis_category(fix_report: Report) -> None:
    assert _run(fix_report)["automationDetails"] == {"id": AUTOMATION_ID}
    assert AUTOMATION_ID.endswith("/")  # "category/": GitHub's form for a category without a run id


def test_every_result_has_our_fingerprint_and_rule_help(fix_report: Report) -> None:
    run = _run(fix_report)
    assert all(set(r["partialFingerprints"]) == {"provenfix/v1"} for r in run["results"])
    for rule in run["tool"]["driver"]["rules"]:
        props = rule["properties"]
        assert isinstance(props["security-severity"], str) and 0 <= float(props["security-severity"]) <= 10
        assert props["precision"] in {"very-high", "high", "medium", "low"}
        assert len(props["tags"]) <= 20
        assert rule["help"]["text"] and rule["help"]["markdown"]


def test_help_explains_impact_and_the_fix_from_the_knowledge_base(fix_report: Report) -> None:
    rules = {r["id"]: r for r in _run(fix_report)["tool"]["driver"]["rules"]}
    help_ = rules["PF-CMD"]["help"]
    assert "## Impact" in help_["markdown"] and "## How ProvenFix fixes it" in help_["markdown"]
    assert "argument list" in help_["markdown"]  # PF-CMD's fix_rationale
    assert "- [CWE-78](https://cwe.mitre.org/data/definitions/78.html)" in help_["markdown"]
    assert "OS_Command_Injection_Defense_Cheat_Sheet" in help_["markdown"]
    assert "Impact: " in help_["text"] and "\n" not in help_["text"]


def test_help_of_another_tools_rule_is_its_message(scan_report: Report) -> None:
    rules = {r["id"]: r for r in _run(scan_report)["tool"]["driver"]["rules"]}
    assert rules["B602"]["help"]["markdown"].startswith("subprocess call with shell=True identified\n\n## References")


def test_results_past_githubs_limit_keep_the_most_severe(cmd_finding: Finding) -> None:
    low = [cmd_finding.model_copy(update={"id": f"low-{i}", "severity": Severity.LOW}) for i in range(MAX_RESULTS)]
    high = cmd_finding.model_copy(update={"id": "the-high-one"})
    run = sarif_log(Report(target="/srv/shop", findings=[*low[:10], high, *low[10:]]), version=VERSION)["runs"][0]
    ids = [r["partialFingerprints"]["provenfix/v1"] for r in run["results"]]
    assert len(ids) == MAX_RESULTS and "the-high-one" in ids and ids.index("the-high-one") == 10
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("1 less severe findings left out")


def test_thread_flow_past_githubs_limit_keeps_source_and_sink(cmd_finding: Finding) -> None:
    steps = [FlowStep(kind="step", path="app/a.py", line=i, description=f"hop {i}")
             for i in range(MAX_THREAD_FLOW_LOCATIONS + 5)]
    steps[0] = steps[0].model_copy(update={"kind": "source"})
    steps[-1] = steps[-1].model_copy(update={"kind": "sink"})
    long = cmd_finding.model_copy(update={"evidence": steps})
    flow = _run(Report(target="/srv/shop", findings=[long]))["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert len(flow) == MAX_THREAD_FLOW_LOCATIONS
    assert flow[0]["location"]["message"]["text"].startswith("source:")
    assert flow[-1]["location"]["message"]["text"].startswith("sink:")
