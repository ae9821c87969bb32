"""Log injection (CWE-117): input written into a log line as it came.

`log.info("login failed for %s", request.form["user"])` writes whatever the user sent: a user
name ending in a newline and `INFO login succeeded for admin` adds a log entry nobody made,
which misleads whoever reads the log, and the alerts, audits and parsers that trust it.
Detects `logging` calls (the module's functions, loggers, `app.logger`) whose message or `%s`
argument carries input; the fix writes input's line breaks and control characters as escapes.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import PERCENT_SPEC, Analysis, CallSite, Value, taint_of
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, by_module

LEVELS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal"})
LOGGERS = ("logging.getLogger()", "logging.Logger", "logging.LoggerAdapter", "logging.root", "logging.getLoggerClass")
# An object named like a logger (`app.logger`, `current_app.logger`, `self.log`) is one.
LOGGER_NAME = re.compile(r"(?:^|\.)_*(?:log|logger|LOG|LOGGER)\.\w+$")
MARK = "FORGED-ENTRY"
PAYLOADS = (f"guest\nINFO:auth:login succeeded for admin {MARK}", f"guest\r\nCRITICAL:audit:{MARK}",
            f"guest\u2028{MARK}", f"guest\x1b[2K\r{MARK}")
HELPER = "_log_safe"
HELPER_CODE = '''\
def _log_safe(value):
    """`value` as one line of text: line breaks and other control characters are written as
    escapes (`\\\\n`, `\\\\x1b`), so input cannot end a log record and forge the next one."""
    import re

    return re.sub("[\\\\x00-\\\\x1f\\\\x7f-\\\\x9f\\\\u2028\\\\u2029]", lambda m: repr(m.group())[1:-1], str(value))
'''


class LogInjection(Recipe):
    rule_id = "PF-LOG"
    kind = "log"
    call_names = LEVELS | {"log"}
    # Escaping encoders: what they return holds no raw line break.
    sanitizers = frozenset({"builtins.repr", "builtins.ascii", "json.dumps", "urllib.parse.quote",
                            "urllib.parse.quote_plus", "base64.b64encode", "base64.urlsafe_b64encode"})
    helper_code = HELPER_CODE
    escapes_at_splice = True
    line_breaks_cleared_is_safe = True

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        at = _message_position(site)
        if at is None or len(site.node.args) <= at or isinstance(site.node.args[at], ast.Starred):
            return None
        message, value = site.node.args[at], site.args[at]
        parts = [(node, arg) for node, arg in [(message, value), *_string_arguments(site, at, value)]
                 if arg.tainted(self.kind)]
        if not parts:
            return None
        # Where the input enters the text: the message's splices, or a whole message or argument.
        targets = [t for node, arg in parts for t in (arg.splices if node is message and arg.splices else [node])]
        return Match(site, taint_of(arg for _, arg in parts),
                     "input is written into the log as it came: a line break in it forges the next log entry",
                     targets[0], detail={"targets": targets, "text": _own_text(message)})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.wrap import wrap_in_helper  # LibCST loads only when a fix is made

        return {path: wrap_in_helper(texts[path], [span_of(n, texts[path]) for n in nodes], HELPER, HELPER_CODE)
                for path, nodes in by_module(match.detail["targets"], index, match.site.module).items()}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        # The entries of this call: another log call of the same function is another finding.
        own = match.detail.get("text", "")
        return ProofPlan(
            doc="It sends input with a line break and a forged entry after it, records every log message "
                "however the loggers are configured, and checks none of them spans two lines.",
            payloads=[repr(p) for p in PAYLOADS],
            setup=(
                "import logging\n"
                "messages = []\n"
                "real_handle = logging.Logger.handle\n"
                "def record(logger, entry):\n"
                "    messages.append(entry.getMessage())\n"
                "    return real_handle(logger, entry)\n"
                "monkeypatch.setattr(logging.Logger, \"handle\", record)\n"
                "monkeypatch.setattr(logging.Logger, \"isEnabledFor\", lambda logger, level: True)\n"
                "logging.disable(logging.NOTSET)"
            ),
            check=(
                f"forged = [m for m in messages if {MARK!r} in m and {own!r} in m]\n"
                "assert forged, f\"the input was not logged: {messages}\"\n"
                "split = [m for m in forged if len(m.splitlines()) > 1 or \"\\x1b\" in m or \"\\r\" in m]\n"
                "assert not split, f\"input broke a log entry into lines: {split}\""
            ),
            benign=['"Ada Lovelace"', '"alice@example.com"'],
        )


def _message_position(site: CallSite) -> int | None:
    """Where a logging call takes its message: 0, or 1 for `log(level, msg)`; None for no logging call."""
    method = site.node.func.attr if isinstance(site.node.func, ast.Attribute) else (site.name or "").rsplit(".", 1)[-1]
    if method not in LEVELS and method != "log":
        return None
    if not (site.name and (site.name.startswith("logging.") or LOGGER_NAME.search(site.name))
            or (site.receiver_type or "").startswith(LOGGERS)):
        return None
    return 1 if method == "log" else 0


def _string_arguments(site: CallSite, at: int, message: Value) -> list[tuple[ast.expr, Value]]:
    """The arguments the message formats as text (`%s`): a `%d` one is a number, `%r` one escaped."""
    template = message.const
    specs = [m.group(1) for m in PERCENT_SPEC.finditer(template) if m.group(1) != "%"] if isinstance(template, str) else []
    out = []
    for i, (node, value) in enumerate(zip(site.node.args[at + 1:], site.args[at + 1:])):
        if isinstance(node, ast.Starred):
            break
        if (specs[i] if i < len(specs) else "s") == "s":
            out.append((node, value))
    return out


def _own_text(message: ast.expr) -> str:
    """The longest piece of text the message itself spells out (`"login failed for "`): what tells
    its entries from other calls'. "" when it spells none (a message built elsewhere)."""
    pieces = [n.value for n in ast.walk(message) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    pieces = [part for piece in pieces for part in PERCENT_SPEC.sub("\0", piece).split("\0")]
    return max(pieces, key=len, default="")
