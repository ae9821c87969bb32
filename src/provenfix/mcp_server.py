"""`provenfix mcp`: ProvenFix's tools for a coding agent, over MCP's stdio transport.

One job: map tool calls onto `api.scan`, `api.fix` (a dry run: nothing is written), `api.verify` and
the knowledge table. Results are the JSON report's objects. The protocol owns stdout (the SDK points
fd 1 at stderr while it serves, so nothing a project's tests print can reach the wire); progress goes
to the `progress` callback the CLI gives, which writes to stderr.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from provenfix import __version__, api
from provenfix.errors import ProvenFixError
from provenfix.knowledge import UnknownRule, all_rules, load_rule
from provenfix.model import Finding, Report
from provenfix.remediate import explain as explain_finding

Entry = Literal["entry-points", "public-api"]
# Every tool leaves the user's tree as it was; fix and verify run the project's tests, in a sandboxed copy.
_READS = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)

INSTRUCTIONS = """\
ProvenFix finds security bugs in a Python project, fixes them and proves each fix with a test that fails
on the original code and passes on the fix, run in a sandbox with the project's own tests. `scan` lists
findings; `fix` proposes verified patches (it never writes: apply a verified patch yourself); `verify`
judges a patch you wrote, with a pytest proof test you wrote, by the same verifier: it is verified only
if your test fails by assertion on the original and passes on the patch, the project's tests still pass
and a re-scan no longer reports the finding. `explain` gives a rule's explanation."""


def build(progress: Callable[[str], None] = lambda _: None) -> MCPServer:
    """The server with its four tools; `progress` receives one line per step of a long call."""
    server = MCPServer("provenfix", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    @server.tool(annotations=_READS)
    def scan(path: str, entry: Entry | None = None) -> dict[str, Any]:
        """Find security bugs in the Python project at `path` (a folder, a sub-folder or a file).

        Returns the JSON report: `findings`, each with its `id`, `rule_id`, `cwe`, `severity`,
        `location` and the data flow that led to it (`evidence`). `entry`: what is untrusted input,
        "entry-points" (web requests; the default) or "public-api" (also the parameters of public
        functions, for a library); default from the project's [tool.provenfix] entry."""
        return _report(lambda: api.scan([path], entry=entry))

    @server.tool(annotations=_READS)
    def fix(path: str, entry: Entry | None = None) -> dict[str, Any]:
        """Fix the findings in the project at `path` with the built-in recipes and prove each fix; a dry
        run: nothing is written to the project.

        Returns the JSON report: per finding a `fixes` entry with `status` ("verified" only when the
        proof test failed on the original and passed on the fix, the project's tests still pass and a
        re-scan is clean), the unified diff (`patch`), the `explanation`, the `proof_test` and the
        `evidence` measured in the sandbox. Apply a verified `patch` and add its `proof_test` to keep it."""
        return _report(lambda: api.fix([path], engine="builtin", entry=entry, progress=progress, notice=progress))

    @server.tool(annotations=_READS)
    def verify(path: str, patch: str, proof_test: str, finding_id: str | None = None) -> dict[str, Any]:
        """Judge a fix you wrote for the project at `path`, by the verifier that judges ProvenFix's own.

        `patch`: a unified diff of the fix against the project as it is now (`git diff` format, paths
        relative to the project root). `proof_test`: a pytest file whose test calls the project's real
        code with an exploit and asserts it is blocked: it must fail by assertion on the original code
        and pass on the patched code. `finding_id`: the finding from `scan` it fixes (else the open
        findings on the lines it changes). Nothing is written to the project.

        Returns `status` ("verified" or "rejected"), the `reason` for a rejection, and the `evidence`:
        the proof test's run before and after, the project's suite before and after, the re-scan."""
        try:
            return api.verify([path], patch, proof_test, finding_id=finding_id, progress=progress).to_report()
        except ProvenFixError as exc:
            raise ToolError(str(exc)) from None

    @server.tool(annotations=_READS)
    def explain(rule_id: str | None = None, finding: Finding | None = None) -> dict[str, Any]:
        """Explain a rule (`rule_id`, e.g. "PF-SQL") or a finding as `scan` returned it (`finding`): what
        is wrong, how it can be exploited, why the fix works, and references (CWE, OWASP)."""
        key = finding.rule_id if finding is not None else rule_id
        if not key:
            raise ToolError("give a rule_id (e.g. PF-CMD) or a finding from scan")
        try:
            rule = load_rule(key)
        except UnknownRule:
            known = ", ".join(r.id for r in all_rules())
            raise ToolError(f"no rule {key!r}; the rules are: {known}") from None
        text = explain_finding(finding) if finding is not None else rule.explanation()
        return {"rule_id": rule.id, "name": rule.name, "title": rule.title, "cwe": rule.cwe,
                "severity": rule.severity.value, "explanation": text.model_dump()}

    return server


def _report(run: Callable[[], Report]) -> dict[str, Any]:
    """The JSON report of a run; a user error (a bad path, a bad config) as the tool's one-line error."""
    try:
        return run().to_json_dict(__version__)
    except ProvenFixError as exc:
        raise ToolError(str(exc)) from None


def serve(progress: Callable[[str], None]) -> None:
    """Serve over stdio until the client closes stdin."""
    build(progress).run("stdio")
