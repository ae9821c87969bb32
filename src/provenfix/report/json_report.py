"""JSON report: the contract in DESIGN.md, exactly as `Report.to_json_dict` builds it.

Non-ASCII text stays readable, but a control, bidi or invisible character is written as its \\u escape
(the same data once parsed) so `cat report.json` cannot drive a terminal.
"""

from __future__ import annotations

import json

from provenfix.model import Report
from provenfix.scrub import json_safe


def render_json(report: Report, *, version: str) -> str:
    return json_safe(json.dumps(report.to_json_dict(version), indent=2, ensure_ascii=False)) + "\n"
