"""Self-contained HTML report: one file, inline CSS and SVG, no script, nothing fetched.

Everything that comes from the scanned project or a model goes through `html.escape`,
so a payload in the code under review can never run in the reader's browser; a control or
bidi character in it is shown escaped (\\u202e), so it cannot reorder what the reader sees.
A Content-Security-Policy that allows only the report's own stylesheet (by hash) is the second wall:
had an escape been missed, the browser would still run no script and load nothing.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from html import escape

from provenfix.model import Candidate, Evidence, Finding, Report, RunResult, Severity, Status
from provenfix.report._common import (
    Entry,
    effective_status,
    entries,
    evidence_lines,
    is_fix_run,
    location_text,
    outcome_text,
    status_label,
    summary_line,
)
from provenfix.report.html_chart import legend, stacked_bars
from provenfix.scrub import show_controls

_SEVERITIES = [Severity.CRITICAL.value, Severity.HIGH.value, Severity.MEDIUM.value, Severity.LOW.value]
_STATUSES = [s.value for s in Status]

_CSS = """
:root{color-scheme:light;--line:#d0d7de;--soft:#f6f8fa;--muted:#57606a}
*{box-sizing:border-box}
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:74rem;margin:0 auto;padding:1.5rem 1.25rem 3rem;color:#1f2328}
header{border-bottom:1px solid var(--line);margin-bottom:1.5rem}
h1{font-size:1.7rem;margin:.2rem 0}h2{font-size:1.25rem;margin:0 0 .6rem}
h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:1.4rem 0 .5rem}
a{color:#0969da}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.75rem;overflow-x:auto;margin:.4rem 0}
pre span{display:block;white-space:pre}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.nowrap{white-space:nowrap}
.muted{color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}
.card{border:1px solid var(--line);border-radius:8px;padding:.6rem 1rem;min-width:8rem;border-top:4px solid #8c959f}
.card b{display:block;font-size:1.8rem;line-height:1.2}
.card.verified{border-top-color:#1a7f37}.card.rejected{border-top-color:#cf222e}.card.unfixed{border-top-color:#bf8700}
.card.critical{border-top-color:#82071e}.card.high{border-top-color:#cf222e}.card.medium{border-top-color:#d4a72c}
.overview{display:flex;flex-wrap:wrap;gap:2rem;align-items:flex-start}
.overview figure{margin:0}
.legend{list-style:none;padding:0;margin:.3rem 0;display:flex;gap:1rem;font-size:13px}
.badge,.sev,.kind{display:inline-block;border-radius:1rem;padding:0 .6rem;font-size:.8rem;font-weight:600;
  vertical-align:middle;white-space:nowrap}
.badge{color:#fff}
.badge.verified{background:#1a7f37}.badge.rejected{background:#cf222e}.badge.unfixed{background:#9a6700}
.badge.open{background:#0969da}.badge.suppressed{background:#6e7781}
.sev{border:1px solid currentColor}
.sev.critical{color:#82071e}.sev.high{color:#cf222e}.sev.medium{color:#9a6700}.sev.low{color:#57606a}
.finding{border:1px solid var(--line);border-left:6px solid #8c959f;border-radius:8px;padding:1rem 1.25rem;margin:1.5rem 0}
.finding.verified{border-left-color:#1a7f37}.finding.rejected{border-left-color:#cf222e}
.finding.unfixed{border-left-color:#bf8700}.finding.open{border-left-color:#0969da}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0;font-size:14px}
.facts dt{color:var(--muted)}.facts dd{margin:0}
.flow{margin:.2rem 0;padding-left:1.6rem}
.flow li{margin:.2rem 0}.flow .at{color:var(--muted);margin-left:.5rem;font-size:12px}
.kind{background:#ddf4ff;color:#0550ae;min-width:4rem;text-align:center;margin-right:.3rem}
.kind.source{background:#fff8c5;color:#7d4e00}.kind.sink{background:#ffebe9;color:#a40e26}
.reason{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.5rem .8rem}
.rejected .reason{background:#ffebe9;border-color:#ff8182}
.add{background:#dafbe1}.del{background:#ffebe9}.hunk{color:#8250df}.meta{color:var(--muted);font-weight:600}
.runs{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem;margin:.4rem 0}
.run{border:1px solid var(--line);border-radius:8px;padding:.4rem .9rem;background:var(--soft)}
.run b{display:block;font-size:12px;color:var(--muted);font-weight:600}
.run.bad{background:#ffebe9;border-color:#ff8182}.run.good{background:#dafbe1;border-color:#4ac26b}
.run small{display:block;color:var(--muted)}
.arrow{font-size:1.4rem;color:var(--muted)}
.checks{margin:.3rem 0;padding-left:1.4rem}
details{margin:.4rem 0}summary{cursor:pointer;color:#0969da}
footer{margin-top:2rem;font-size:13px}
@media print{.finding{break-inside:avoid-page}details>*{display:block}}
""".strip()

# Only the stylesheet above may apply; no script, image, font, frame or connection of any origin.
_CSP = ("default-src 'none'; style-src 'sha256-"
        + base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
        + "'; base-uri 'none'; form-action 'none'")


def render_html(report: Report, *, version: str) -> str:
    fix_run = is_fix_run(report)
    items = entries(report)
    title = "ProvenFix fix report" if fix_run else "ProvenFix scan report"
    body = [
        f"<header>\n<h1>{title}</h1>\n<p class=\"muted\">Target <code>{escape(report.target)}</code> · "
        f"ProvenFix {escape(version)}</p>\n</header>",
        _summary(report, items, fix_run),
    ]
    body += [_section(n, e, fix_run) for n, e in enumerate(items, 1) if not e.finding.suppressed]
    body.append(_list("Suppressed", [_suppressed(e) for e in items if e.finding.suppressed]))
    body.append(_list("Warnings", [_inline(w) for w in report.warnings]))
    body.append(_list("Applied to", [f"<code>{escape(p)}</code>" for p in report.applied]))
    body.append(f'<footer class="muted">Generated by ProvenFix {escape(version)}. Self-contained: '
                "this file loads nothing and runs no script.</footer>")
    return show_controls(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def _inline(text: str) -> str:
    """Escaped text with its `backquoted` names set as code, as the messages and explanations write them."""
    return re.sub(r"`([^`\n]+)`", r"<code>\1</code>", escape(text))


def _summary(report: Report, items: list[Entry], fix_run: bool) -> str:
    shown = [e for e in items if not e.finding.suppressed]
    keys = _STATUSES if fix_run else _SEVERITIES
    key: Callable[[Entry], str] = (lambda e: effective_status(e).value) if fix_run else (lambda e: e.finding.severity.value)
    totals = Counter(key(e) for e in shown)
    cards = [_card("findings", len(shown), "")] + [_card(k, totals[k], k) for k in keys]
    if len(shown) < len(items):
        cards.append(_card("suppressed", len(items) - len(shown), ""))
    parts = ['<section class="summary">\n<h2>Summary</h2>', f'<div class="cards">{"".join(cards)}</div>',
             f"<p>{escape(summary_line(report))}</p>"]
    if shown:
        parts.append(f'<div class="overview"><figure>{_chart(shown, keys, key)}'
                     f"<figcaption>{legend(keys, totals)}</figcaption></figure></div>")
    if items:
        parts.append(_index(items, fix_run))
    return "\n".join(parts) + "\n</section>"


def _card(label: str, count: int, cls: str) -> str:
    classes = f"card {cls}".strip()
    return f'<div class="{classes}"><b>{count}</b>{label}</div>'


def _chart(shown: list[Entry], keys: list[str], key: Callable[[Entry], str]) -> str:
    by_sev: dict[str, Counter[str]] = {s: Counter() for s in _SEVERITIES}
    by_rule: dict[str, Counter[str]] = {}
    for e in shown:
        by_sev[e.finding.severity.value][key(e)] += 1
        by_rule.setdefault(e.finding.rule_id, Counter())[key(e)] += 1
    rules = sorted(by_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    return stacked_bars([("By severity", [(s, c) for s, c in by_sev.items() if c]), ("By rule", rules)], keys)


def _index(items: list[Entry], fix_run: bool) -> str:
    rows = []
    for n, e in enumerate(items, 1):
        f = e.finding
        what = _inline(f.message) if f.suppressed else f'<a href="#f-{n}">{_inline(f.message)}</a>'
        rows.append(f"<tr><td>{n}</td><td>{_badge(status_label(e, fix_run=fix_run))}</td><td>{_sev(f.severity)}</td>"
                    f'<td class="nowrap">{escape(f.rule_id)}</td>'
                    f"<td>{what}</td><td><code>{escape(location_text(f))}</code></td></tr>")
    head = "<tr><th>#</th><th>Status</th><th>Severity</th><th>Rule</th><th>Finding</th><th>Location</th></tr>"
    return f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def _badge(label: str) -> str:
    return f'<span class="badge {escape(label)}">{escape(label)}</span>'


def _sev(severity: Severity) -> str:
    return f'<span class="sev {severity.value}">{severity.value}</span>'


def _section(n: int, entry: Entry, fix_run: bool) -> str:
    f, fix = entry.finding, entry.fix
    label = status_label(entry, fix_run=fix_run)
    parts = [f'<section class="finding {label}" id="f-{n}">',
             f"<h2>{_badge(label)} {escape(f.rule_id)}: {_inline(f.message)}</h2>", _facts(entry)]
    if f.evidence:
        parts.append("<h3>Data flow</h3>\n" + _flow(f))
    if fix_run and (fix is None or fix.status is not Status.VERIFIED):
        reason = fix.reason if fix and fix.reason else "no engine produced a fix"
        parts.append(f'<p class="reason"><strong>{label.capitalize()}:</strong> {_inline(reason)}</p>')
    if fix is not None and fix.candidate is not None:
        if fix.status is Status.VERIFIED:
            parts.append(_explanation(fix.candidate) + _proof(fix.candidate, fix.evidence))
        else:  # what was tried, for whoever picks the finding up by hand
            parts.append(f"<details><summary>The rejected candidate: patch and proof test</summary>\n"
                         f"{_proof(fix.candidate, fix.evidence)}\n</details>")
    if fix is not None and fix.evidence is not None:
        parts.append("<h3>Evidence</h3>\n" + _ul([_inline(line) for line in evidence_lines(fix.evidence)], "checks"))
    return "\n".join(parts) + "\n</section>"


def _facts(entry: Entry) -> str:
    f, fix = entry.finding, entry.fix
    cwe = f'<a href="https://cwe.mitre.org/data/definitions/{f.cwe}.html" rel="noreferrer">CWE-{f.cwe}</a>'
    rows = [("Location", f"<code>{escape(location_text(f))}</code>"), ("Weakness", cwe),
            ("Severity", f"{_sev(f.severity)} · {escape(f.confidence)} confidence"),
            ("Detector", escape(f.detector))]
    if fix is not None and fix.engine:
        rows.append(("Fixed by" if fix.status is Status.VERIFIED else "Tried by", escape(fix.engine)))
    return '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _flow(f: Finding) -> str:
    steps = [f'<li><span class="kind {step.kind}">{step.kind}</span> {_inline(step.description)} '
             f'<code class="at">{escape(step.path)}:{step.line}</code></li>' for step in f.evidence]
    return '<ol class="flow">' + "".join(steps) + "</ol>"


def _explanation(c: Candidate) -> str:
    ex = c.explanation
    parts = ["<h3>Explanation</h3>", f"<p><strong>What was wrong.</strong> {_inline(ex.summary)}</p>",
             f"<p><strong>Why it matters.</strong> {_inline(ex.impact)}</p>",
             f"<p><strong>Why the fix works.</strong> {_inline(ex.fix_rationale)}</p>"]
    if ex.references:
        parts.append("<p><strong>References:</strong></p>" + _ul([_reference(r) for r in ex.references]))
    return "\n".join(parts)


def _reference(ref: str) -> str:
    """A link only for a plain web address: a `javascript:` or `data:` one stays text."""
    if re.fullmatch(r"https?://[^\s\"'<>]+", ref):
        return f'<a href="{escape(ref)}" rel="noreferrer">{escape(ref)}</a>'
    return escape(ref)


def _proof(c: Candidate, evidence: Evidence | None) -> str:
    parts = ["<h3>Patch</h3>", _diff(c.patch()), "<h3>Proof</h3>"]
    if evidence is not None and (evidence.proof_before or evidence.proof_after):
        parts.append(_runs(evidence.proof_before, evidence.proof_after))
    lines = c.proof_test.code.rstrip().count("\n") + 1
    parts.append(_details(f"Proof test <code>{escape(c.proof_test.path)}</code> ({lines} lines)",
                          f"<pre><code>{escape(c.proof_test.code.rstrip())}</code></pre>"))
    for run, where in ((evidence.proof_before, "original"), (evidence.proof_after, "patched")) if evidence else ():
        if run is not None and run.output_tail:
            parts.append(_details(f"Its output on the {where} code",
                                  f"<pre><code>{escape(run.output_tail)}</code></pre>"))
    return "\n".join(parts)


def _runs(before: RunResult | None, after: RunResult | None) -> str:
    """The proof's two halves side by side: it must fail by assertion before and pass after."""
    def box(run: RunResult | None, where: str, wanted: str, note: str, cls: str) -> str:
        if run is None:
            return f'<div class="run"><b>{where}</b>not run</div>'
        if run.outcome != wanted:
            return f'<div class="run"><b>{where}</b>{escape(outcome_text(run))}</div>'
        return f'<div class="run {cls}"><b>{where}</b>{escape(outcome_text(run))}<small>{note}</small></div>'

    return ('<div class="runs">' + box(before, "Original code", "failed-assertion", "the exploit works", "bad")
            + '<span class="arrow">→</span>'
            + box(after, "Patched code", "passed", "the exploit is blocked", "good") + "</div>")


def _diff(patch: str) -> str:
    """One span per line so additions and deletions are coloured without JavaScript."""
    spans = []
    for line in patch.rstrip("\n").split("\n"):
        if line.startswith(("+++", "---")):
            cls = "meta"
        elif line.startswith("@@"):
            cls = "hunk"
        elif line.startswith("+"):
            cls = "add"
        elif line.startswith("-"):
            cls = "del"
        else:
            cls = "ctx"
        spans.append(f'<span class="{cls}">{escape(line) or " "}</span>')
    return '<pre class="diff"><code>' + "".join(spans) + "</code></pre>"


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{summary}</summary>\n{body}\n</details>"


def _suppressed(e: Entry) -> str:
    f = e.finding
    return f"{escape(f.rule_id)} <code>{escape(location_text(f))}</code>: {escape(f.suppressed or '')}"


def _ul(items: list[str], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>"


def _list(title: str, items: list[str]) -> str:
    return f"<h2>{escape(title)}</h2>\n{_ul(items)}" if items else ""
