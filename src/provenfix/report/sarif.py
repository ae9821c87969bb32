"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

GitHub keys alerts on `ruleId` + `partialFingerprints`, shows `security-severity`
and CWE tags from the rule, resolves `%SRCROOT%`-relative URIs against the repo,
and treats results with `suppressions` as dismissed. `fixes` carry verified patches
as line-range replacements in the coordinates of the original file.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from provenfix.knowledge import UnknownRule, load_rule
from provenfix.model import FileEdit, Finding, Fix, Report, Severity, Status
from provenfix.report._common import Entry, entries
from provenfix.scrub import json_safe

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
TOOL_NAME = "ProvenFix"
INFORMATION_URI = "https://pypi.org/project/provenfix/"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "provenfix/v1"
# The analysis category GitHub files the run under (upload-sarif keeps an id the log already has).
AUTOMATION_ID = "provenfix/"
# GitHub code scanning rejects a whole upload past these (its hard limits), so the log stays under them.
MAX_RESULTS = 25_000
MAX_THREAD_FLOW_LOCATIONS = 10_000

Json = dict[str, Any]


# GitHub buckets these: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low.
_SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
_LEVEL: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
_SEVERITY_RANK = {s: i for i, s in enumerate((Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL))}
_CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}

# SARIF counts CR, LF and CRLF as line ends; str.splitlines also splits on \f, \v, ...
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def render_sarif(report: Report, *, version: str) -> str:
    # A control or bidi character from the project's code is written as its \\u escape, never raw.
    return json_safe(json.dumps(sarif_log(report, version=version), indent=2, ensure_ascii=False)) + "\n"


def sarif_log(report: Report, *, version: str) -> Json:
    items = entries(report)
    warnings = list(report.warnings)
    if len(items) > MAX_RESULTS:  # the most severe are kept, in report order
        kept = set(sorted(range(len(items)), key=lambda i: -_SEVERITY_RANK[items[i].finding.severity])[:MAX_RESULTS])
        warnings.append(f"{len(items) - MAX_RESULTS} less severe findings left out: GitHub code scanning "
                        f"accepts at most {MAX_RESULTS} results per run")
        items = [e for i, e in enumerate(items) if i in kept]
    rule_ids = list(dict.fromkeys(e.finding.rule_id for e in items))
    rules = [_rule(rule_id, [e.finding for e in items if e.finding.rule_id == rule_id]) for rule_id in rule_ids]
    run: Json = {
        "tool": {
            "driver": {
                "name": TOOL_NAME,
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }
        },
        "automationDetails": {"id": AUTOMATION_ID},
        "invocations": [_invocation(warnings)],
        "originalUriBaseIds": {SRCROOT: _srcroot(report.target)},
        "columnKind": "unicodeCodePoints",
        "results": [_result(e, rule_ids.index(e.finding.rule_id), report.target) for e in items],
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


@dataclass(frozen=True)
class _RuleText:
    name: str
    cwe: int
    short: str
    full: str
    impact: str = ""
    fix: str = ""
    references: tuple[str, ...] = ()


def _rule_text(rule_id: str, first: Finding) -> _RuleText:
    """Names and descriptions from the knowledge base, the one place rules are described;
    a rule it does not know (another tool's) falls back to the finding's own fields."""
    try:
        rule = load_rule(rule_id)
    except UnknownRule:
        return _RuleText(rule_id, first.cwe, first.message, first.message)
    return _RuleText(rule.name, rule.cwe, rule.title, rule.summary, rule.impact, rule.fix_rationale, rule.references)


def _help(info: _RuleText, help_uri: str) -> Json:
    """The rule's page in a code scanning alert: what is wrong, what it allows, how ProvenFix fixes it."""
    sections = [("Impact", info.impact), ("How ProvenFix fixes it", info.fix)]
    text = " ".join([info.full, *(f"{title}: {body}" for title, body in sections if body),
                     f"See CWE-{info.cwe}: {help_uri}", *(r for r in info.references if r != help_uri)])
    markdown = "\n\n".join([info.full, *(f"## {title}\n\n{body}" for title, body in sections if body),
                            "## References\n\n" + "\n".join(
                                [f"- [CWE-{info.cwe}]({help_uri})", *(f"- <{r}>" for r in info.references if r != help_uri)])])
    return {"text": text, "markdown": markdown}


def _rule(rule_id: str, findings: list[Finding]) -> Json:
    first = findings[0]
    info = _rule_text(rule_id, first)
    worst = max((f.severity for f in findings), key=_SEVERITY_RANK.__getitem__)
    precision = max((f.confidence for f in findings), key=_CONFIDENCE_RANK.__getitem__)
    help_uri = f"https://cwe.mitre.org/data/definitions/{info.cwe}.html"
    return {
        "id": rule_id,
        "name": info.name,
        "shortDescription": {"text": info.short},
        "fullDescription": {"text": info.full},
        "help": _help(info, help_uri),
        "helpUri": help_uri,
        "defaultConfiguration": {"level": _LEVEL[worst]},
        "properties": {
            "tags": ["security", f"external/cwe/cwe-{info.cwe}"],
            "security-severity": _SECURITY_SEVERITY[worst],
            "precision": precision,
        },
    }


def _invocation(warnings: list[str]) -> Json:
    invocation: Json = {"executionSuccessful": True}
    if warnings:
        invocation["toolExecutionNotifications"] = [{"level": "warning", "message": {"text": w}} for w in warnings]
    return invocation


def _srcroot(target: str) -> Json:
    """An absolute file URI when the target is absolute; SARIF requires the trailing slash."""
    path = PurePosixPath(target)
    if path.is_absolute():
        return {"uri": path.as_uri().rstrip("/") + "/"}
    return {"description": {"text": f"The scanned project root: {target}"}}


def artifact_location(path: str, target: str) -> Json:
    """A `%SRCROOT%`-relative POSIX URI; only paths outside the target stay absolute."""
    posix = path.replace("\\", "/")
    while posix.startswith("./"):
        posix = posix[2:]
    pure = PurePosixPath(posix)
    if pure.is_absolute():
        try:
            posix = pure.relative_to(PurePosixPath(target)).as_posix()
        except ValueError:
            return {"uri": pure.as_uri()}
    return {"uri": quote(posix), "uriBaseId": SRCROOT}


def _region(finding: Finding) -> Json:
    loc = finding.location
    # Location columns are 0-based; SARIF's are 1-based with an exclusive end.
    region: Json = {"startLine": loc.start_line, "startColumn": loc.start_col + 1}
    end_line = max(loc.end_line, loc.start_line)
    region["endLine"] = end_line
    # end_col 0 means "unknown": leave endColumn out so the region runs to the end of the line.
    if loc.end_col > 0 and (end_line > loc.start_line or loc.end_col > loc.start_col):
        region["endColumn"] = loc.end_col + 1
    return region


def _result(entry: Entry, rule_index: int, target: str) -> Json:
    f = entry.finding
    result: Json = {
        "ruleId": f.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(f.location.path, target),
                    "region": _region(f),
                },
                **({"logicalLocations": [{"fullyQualifiedName": f.location.qualname}]} if f.location.qualname else {}),
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f.id},
    }
    if f.evidence:
        result["codeFlows"] = [_code_flow(f, target)]
    if f.suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": f.suppressed}]
    if entry.fix is not None and entry.fix.status is Status.VERIFIED and entry.fix.candidate is not None:
        result["fixes"] = [_fix(entry.fix, target)]
    result["properties"] = _properties(entry)
    return result


def _properties(entry: Entry) -> Json:
    f = entry.finding
    props: Json = {"cwe": f"CWE-{f.cwe}", "confidence": f.confidence, "detector": f.detector}
    if entry.fix is not None:
        props["fixStatus"] = entry.fix.status.value
        if entry.fix.reason:
            props["fixReason"] = entry.fix.reason
    return props


def _code_flow(finding: Finding, target: str) -> Json:
    steps = [
        {
            "location": {
                "physicalLocation": {
                    "artifactLocation": artifact_location(step.path, target),
                    "region": {"startLine": step.line},
                },
                "message": {"text": f"{step.kind}: {step.description}"},
            }
        }
        for step in finding.evidence
    ]
    if len(steps) > MAX_THREAD_FLOW_LOCATIONS:  # keep where it starts and where it lands
        half = MAX_THREAD_FLOW_LOCATIONS // 2
        steps = steps[:half] + steps[-half:]
    return {"threadFlows": [{"locations": steps}]}


def _fix(fix: Fix, target: str) -> Json:
    candidate = fix.candidate
    assert candidate is not None  # guarded by the caller
    description = f"{candidate.explanation.fix_rationale} Proven by {candidate.proof_test.path}."
    return {
        "description": {"text": description},
        "artifactChanges": [
            {"artifactLocation": artifact_location(edit.path, target), "replacements": replacements(edit)}
            for edit in candidate.edits
        ],
    }


def replacements(edit: FileEdit) -> list[Json]:
    """Minimal whole-line replacements turning `edit.before` into `edit.after`.

    Each deleted region runs from column 1 of its first line to column 1 of the line
    after its last, so it covers the line ends too; an insertion is an empty region.
    All regions are in the original file's coordinates, as SARIF requires.
    """
    old = _LINE.findall(edit.before)
    new = _LINE.findall(edit.after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    out: list[Json] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        end_line, end_col = _line_start(old, i2)
        replacement: Json = {
            "deletedRegion": {"startLine": i1 + 1, "startColumn": 1, "endLine": end_line, "endColumn": end_col}
        }
        if j2 > j1:
            replacement["insertedContent"] = {"text": "".join(new[j1:j2])}
        out.append(replacement)
    return out


def _line_start(lines: list[str], index: int) -> tuple[int, int]:
    """(line, column) where 0-based line `index` starts; past an unterminated last line, its end."""
    if index == len(lines) and lines and not lines[-1].endswith(("\n", "\r")):
        return len(lines), len(lines[-1]) + 1
    return index + 1, 1
