"""OS command injection (CWE-78): a shell runs a command line that untrusted data helped build.

Detects `os.system`, `os.popen`, `subprocess.getoutput` and `subprocess.*(..., shell=True)`
with a command built from input; rewrites it to an argv list run without a shell.
"""

from __future__ import annotations


from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import (
    Match,
    ProofPlan,
    bare_names,
    helper_called_at,
    input_shape,
    is_true,
    keyword_arg,
    rewrite_with_helper,
    user_controlled,
)

ALWAYS_SHELL = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"})
SHELL_OPTIONAL = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}
)
# Plain words a command line takes as one argument, quoted or not; the files and folder they name exist.
BENIGN = {"int": ["1"], "id": ['"1"'], "host": ['"localhost"'], "dir": ['"docs"'], "file": ['"report.txt"'],
          "word": ['"hello"', '"report.txt"']}
BENIGN_SETUP = 'Path("docs").mkdir()\nPath("docs/readme.txt").write_text("benign\\n")\nPath("report.txt").write_text("benign\\n")'


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
        helper = helper_called_at(site, analysis)
        return Match(site, value, f"untrusted data reaches a shell command run by `{site.name}()`", site.node, helper=helper)

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods import command as codemod  # LibCST loads only when a fix is made

        path = match.site.module.path
        if match.helper is None:
            return {path: codemod.fix_command(texts[path], span_of(match.target, texts[path]))}
        return rewrite_with_helper(match, texts, index, codemod.fix_command_helper,
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
            benign=BENIGN[input_shape(finding, match)],
            benign_setup=BENIGN_SETUP,
            observe="command",
        )
