"""JSON report: the contract in DESIGN.md, exactly as `Report.to_json_dict` builds it."""

from __future__ import annotations

import json

from provenfix.model import Report


def render_json(report: Report, *, version: str) -> str:
    return json.dumps(report.to_json_dict(version), indent=2, ensure_ascii=False) + "\n"
