from __future__ import annotations

import json

from provenfix.model import Report
from provenfix.report.json_report import render_json

from .conftest import VERSION

# The JSON contract from DESIGN.md ("Contracts"), key for key.
TOP_KEYS = {"schema_version", "tool", "target", "findings", "fixes"}
FIX_KEYS = {"finding_id", "status", "engine", "patch", "explanation", "proof_test", "evidence", "reason"}
EXPLANATION_KEYS = {"summary", "impact", "fix_rationale", "references"}
FINDING_KEYS = {"id", "rule_id", "cwe", "severity", "confidence", "location", "message", "evidence", "detector"}


def test_json_is_exactly_the_report_dict(fix_report: Report) -> None:
    out = render_json(fix_report, version=VERSION)
    assert json.loads(out) == fix_report.to_json_dict(VERSION)
    assert out.startswith('{\n  "schema_version"')  # indent=2


def test_json_matches_design_contract(fix_report: Report) -> None:
    data = json.loads(render_json(fix_report, version=VERSION))
    assert data.keys() >= TOP_KEYS
    assert data["tool"] == {"name": "provenfix", "version": VERSION}
    assert data["target"] == "/srv/shop"
    for finding in data["findings"]:
        assert finding.keys() >= FINDING_KEYS
        assert {"path", "start_line", "end_line"} <= finding["location"].keys()
    assert [f["status"] for f in data["fixes"]] == ["verified", "rejected", "unfixed"]
    for fix in data["fixes"]:
        assert set(fix) == FIX_KEYS
    verified = data["fixes"][0]
    assert verified["finding_id"] == "pf-cmd-3f2a9c"
    assert set(verified["explanation"]) == EXPLANATION_KEYS
    assert set(verified["proof_test"]) == {"path", "code"}
    assert verified["patch"].startswith("--- a/app/net.py\n+++ b/app/net.py\n")
    assert verified["evidence"]["proof_before"]["outcome"] == "failed-assertion"
    assert verified["evidence"]["rescan_clean"] is True
    unfixed = data["fixes"][2]
    assert unfixed["patch"] is None and unfixed["explanation"] is None and unfixed["proof_test"] is None
