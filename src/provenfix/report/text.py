"""Terminal / CI-log report rendered with Rich.

Prose wraps to `width`; diffs and code never wrap (soft wrap) so they stay copyable.
With `color=False` the output is plain text with no ANSI escapes.
Everything shown comes from the scanned project or a model, so none of it is read as Rich markup
(markup=False, Text objects) and every control character in it is shown escaped, never sent raw.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.padding import Padding
from rich.syntax import Syntax
from rich.text import Text

from provenfix.model import Candidate, Fix, Report, Severity, Status
from provenfix.report._common import (
    Entry,
    entries,
    evidence_lines,
    flow_chain,
    is_fix_run,
    location_text,
    summary_line,
)
from provenfix.scrub import show_controls

_SEVERITY_STYLE: dict[Severity, str] = {
    Severity.CRITICAL: "bold white on red",
    Severity.HIGH: "bold red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "cyan",
}

_STATUS_STYLE: dict[Status, str] = {
    Status.VERIFIED: "bold black on green",
    Status.REJECTED: "bold white on red",
    Status.UNFIXED: "bold black on yellow",
}

# An ANSI theme follows the terminal's own palette, which reads well on light and dark.
_THEME = "ansi_dark"


def render_text(report: Report, *, version: str, color: bool = False, width: int = 100) -> str:
    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="256" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    _Renderer(console, color).report(report, version)
    out = buffer.getvalue()
    if not color:
        # Rich pads wrapped lines with a trailing space; CI logs are cleaner without.
        out = "\n".join(line.rstrip() for line in out.splitlines()) + "\n"
    return out


def _escaped(part: str | tuple[str, str]) -> str | tuple[str, str]:
    """Rich strips only a few controls (BEL, BS, CR...); ESC and bidi overrides would reach the terminal."""
    return show_controls(part) if isinstance(part, str) else (show_controls(part[0]), part[1])


class _Renderer:
    def __init__(self, console: Console, color: bool) -> None:
        self.console = console
        self.color = color

    def print(self, *parts: str | tuple[str, str], indent: int = 0) -> None:
        text = Text.assemble(*(_escaped(part) for part in parts))
        # Padding keeps wrapped continuation lines under their first line.
        self.console.print(Padding(text, (0, 0, 0, indent)) if indent else text)

    def report(self, report: Report, version: str) -> None:
        kind = "fix" if is_fix_run(report) else "scan"
        self.print((f"ProvenFix {version}", "bold"), f" · {kind} of {report.target}")
        active = [e for e in entries(report) if not e.finding.suppressed]
        suppressed = [e for e in entries(report) if e.finding.suppressed]
        for number, entry in enumerate(active, start=1):
            self.console.print()
            self.entry(number, entry)
        if suppressed:
            self.console.print()
            self.print(("Suppressed (not counted as open):", "bold"))
            for entry in suppressed:
                f = entry.finding
                self.print(f"{f.rule_id} {location_text(f)}: {f.suppressed}", indent=2)
        self.listing("Warnings:", report.warnings)
        self.listing("Applied to:", report.applied)
        self.console.print()
        self.print((summary_line(report), "bold"))

    def listing(self, title: str, items: list[str]) -> None:
        if items:
            self.console.print()
            self.print((title, "bold"))
            for item in items:
                self.print(f"- {item}", indent=2)

    def entry(self, number: int, entry: Entry) -> None:
        f = entry.finding
        self.print(
            (f"{number}. {f.rule_id}", "bold"),
            " ",
            (f"[{f.severity.value}]", _SEVERITY_STYLE[f.severity]),
            f"  {location_text(f)}  CWE-{f.cwe}",
        )
        self.print(f.message, indent=3)
        chain = flow_chain(f)
        if chain:
            self.print(("flow: ", "dim"), chain, indent=3)
        if entry.fix is not None:
            self.fix(entry.fix)

    def fix(self, fix: Fix) -> None:
        engine = f" by {fix.engine}" if fix.engine else ""
        self.print((f"[{fix.status.value.upper()}]", _STATUS_STYLE[fix.status]), engine, indent=3)
        if fix.reason:
            self.print(("reason: ", "bold"), fix.reason, indent=3)
        if fix.candidate is not None:
            self.candidate(fix.candidate)
        if fix.evidence is not None:
            self.print(("evidence:", "bold"), indent=3)
            for line in evidence_lines(fix.evidence):
                self.print(line, indent=5)

    def candidate(self, candidate: Candidate) -> None:
        self.print(("patch:", "bold"), indent=3)
        self.code(candidate.patch(), "diff")
        ex = candidate.explanation
        for label, value in (("summary", ex.summary), ("impact", ex.impact), ("why the fix works", ex.fix_rationale)):
            self.print((f"{label}: ", "bold"), value, indent=3)
        if ex.references:
            self.print(("references: ", "bold"), ", ".join(ex.references), indent=3)
        self.print(("proof test: ", "bold"), candidate.proof_test.path, indent=3)
        self.code(candidate.proof_test.code, "python")

    def code(self, source: str, lexer: str) -> None:
        source = show_controls(source).rstrip("\n")
        if not source:
            return
        renderable: Syntax | Text = (
            Syntax(source, lexer, theme=_THEME, background_color="default") if self.color else Text(source)
        )
        self.console.print(renderable, soft_wrap=True)
