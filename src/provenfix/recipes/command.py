"""OS command injection (CWE-78): a shell runs a command line that untrusted data helped build.

Detects `os.system`, `os.popen`, `subprocess.getoutput` and `subprocess.*(..., shell=True)`
with a command built from input; rewrites it to an argv list run without a shell.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import bare_names, Match, ProofPlan, is_true, keyword_arg, user_controlled
from provenfix.workspace import is_test_file

ALWAYS_SHELL = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"})
SHELL_OPTIONAL = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}
)


class CommandInjection:
    rule_id = "PF-CMD"
    kind = "cmd"
    call_names = bare_names(ALWAYS_SHELL | SHELL_OPTIONAL)

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name not in ALWAYS_SHELL and not (site.name in SHELL_OPTIONAL and is_true(keyword_arg(site, "shell"))):
            return None
        value = site.args[0] if site.args else site.keywords.get("args")
        if value is None or not user_controlled(value, self.kind, built_only_for_params=True):
            return None
        helper = _helper(site, analysis)
        return Match(site, value, f"untrusted data reaches a shell command run by `{site.name}()`", site.node, helper=helper)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import command as codemod  # LibCST loads only when a fix is made

        path = match.site.module.path
        if match.helper is None:
            return {path: codemod.fix_command(texts[path], span_of(match.target, texts[path]))}
        return _rewrite_with_helper(match, texts, index, codemod.fix_command_helper,
                                    lambda text, span: codemod.fix_command(text, span, command_from_helper=True))

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It feeds shell metacharacters to the command and checks that no second command ran.",
            payloads=[
                'f"x; touch {canary} #"',
                "f\"x'; touch {canary} #\"",
                "f'x\"; touch {canary} #'",
                'f"$(touch {canary})"',
                'f"`touch {canary}`"',
            ],
            setup="",
            check='assert not canary.exists(), "a payload ran its own shell command: the input reached a shell"',
        )


def _helper(site: CallSite, analysis: Analysis):
    """The project function whose return value is the command, when the sink runs `helper(...)` directly."""
    arg = site.node.args[0] if site.node.args else None
    if isinstance(arg, ast.Call):
        callee = analysis.index.function(site.module.resolve(arg.func))
        if callee is not None:
            return callee
    return None


def _rewrite_with_helper(match: Match, texts: dict[str, str], index: ProjectIndex, fix_helper, fix_sink) -> dict[str, str]:
    """Rewrite the helper that builds the string and the sink that runs it, as one change."""
    helper = match.helper
    assert helper is not None
    # Test code may call the helper too; the project's suite, run by the verifier, judges those uses.
    callers = [n for m in index.modules.values() if not is_test_file(m.path) for n in ast.walk(m.tree)
               if isinstance(n, ast.Call) and index.function(m.resolve(n.func)) is helper]
    if len(callers) != 1:
        raise Unfixable(f"`{helper.qualname}()` is called in {len(callers)} places; changing what it returns would break the others")
    sink_path, helper_path = match.site.module.path, helper.module.path
    edits = [(helper_path, helper.node, fix_helper), (match.site.module.path, match.target, fix_sink)]
    out = dict(texts)
    # Bottom-up within a file so earlier spans stay valid.
    for path, node, fix in sorted(edits, key=lambda e: (e[0], -e[1].lineno)):
        out[path] = fix(out[path], span_of(node, texts[path]))
    return {p: out[p] for p in {sink_path, helper_path}}
