"""OS command injection (CWE-78): a shell runs a command line that untrusted data helped build.

Detects `os.system`, `os.popen`, `subprocess.getoutput` and `subprocess.*(..., shell=True)`
with a command built from input; rewrites it to an argv list run without a shell.
"""

from __future__ import annotations


from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import UNKNOWN, Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import (
    Match,
    ProofPlan,
    Recipe,
    bare_names,
    helper_called_at,
    input_shape,
    is_true,
    keyword_arg,
    rewrite_with_helper,
    user_controlled,
)

ALWAYS_SHELL = frozenset({"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput",
                          "asyncio.create_subprocess_shell"})
SHELL_OPTIONAL = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"}
)
# Run a program without a shell: exec-style (program, args...) or spawn-style (mode, program, args...).
PROGRAM_RUNNERS = frozenset({
    *(f"os.{name}" for name in ("execl", "execle", "execlp", "execlpe", "execv", "execve", "execvp", "execvpe",
                                "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe",
                                "posix_spawn", "posix_spawnp")),
    "asyncio.create_subprocess_exec",
})
SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "cmd", "cmd.exe", "powershell", "pwsh", "/bin/sh", "/bin/bash",
                    "/usr/bin/sh", "/usr/bin/bash"})
SHELL_SCRIPT_FLAGS = frozenset({"-c", "/c", "-Command"})
PROGRAM_CHOSEN = "the program itself comes from input: only an allow-list of programs can fix this"
SHELL_SCRIPT = ("input is the script of a shell the argv runs; run the command it means as an argv list "
                "without the shell")
# Plain words a command line takes as one argument, quoted or not; the files and folder they name exist.
BENIGN = {"int": ["1"], "id": ['"1"'], "host": ['"localhost"'], "dir": ['"docs"'], "file": ['"report.txt"'],
          "word": ['"hello"', '"report.txt"']}
BENIGN_SETUP = 'Path("docs").mkdir()\nPath("docs/readme.txt").write_text("benign\\n")\nPath("report.txt").write_text("benign\\n")'


class CommandInjection(Recipe):
    rule_id = "PF-CMD"
    kind = "cmd"
    call_names = bare_names(ALWAYS_SHELL | SHELL_OPTIONAL | PROGRAM_RUNNERS)
    equivalent_ids = frozenset({"B602", "B605", "B604", "B607", "B609", "S602", "S605", "S604", "S607", "S609"})
    sanitizers = frozenset({"shlex.quote", "pipes.quote"})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name in PROGRAM_RUNNERS:
            return self._program(site, site.args[1:] if site.name.startswith("os.spawn") else site.args)
        if site.name not in ALWAYS_SHELL and not (site.name in SHELL_OPTIONAL and is_true(keyword_arg(site, "shell"))):
            return self._program(site, site.args[:1] or [site.keywords.get("args")]) if site.name in SHELL_OPTIONAL else None
        value = site.args[0] if site.args else site.keywords.get("args")
        if value is None or not user_controlled(value, self.kind):
            return None
        helper = helper_called_at(site, analysis)
        return Match(site, value, f"untrusted data reaches a shell command run by `{site.name}()`", site.node, helper=helper)

    def _program(self, site: CallSite, argv: list) -> Match | None:
        """Without a shell: an injection when input chooses the program, or is the script of a shell
        the argv runs (`["sh", "-c", f"echo {x}"]`)."""
        value = argv[0] if argv and argv[0] is not None else None
        if value is None:
            return None
        items = value.items if len(argv) == 1 else tuple(argv)  # a list, or exec-style arguments
        program = value if items is None else items[0] if items else None
        if program is not None and program.items is None and _chosen_by_input(program, self.kind):
            return Match(site, program, f"untrusted data chooses the program `{site.name}()` runs", site.node,
                         detail={"unfixable": PROGRAM_CHOSEN})
        if items is None:
            return None
        if len(items) >= 3 and items[1].const in SHELL_SCRIPT_FLAGS and _may_be_shell(items[0]):
            script = [item for item in items[2:] if user_controlled(item, self.kind)]
            if script:
                return Match(site, script[0], f"untrusted data is the script of a shell that `{site.name}()` runs",
                             site.node, detail={"unfixable": SHELL_SCRIPT})
        return None

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


def _may_be_shell(program) -> bool:
    """A shell, or a program the code picks among constants it does not show (`"cmd.exe"` or `"sh"`)."""
    return program.const is UNKNOWN and not program.origins or program.const in SHELLS


def _chosen_by_input(program, kind: str) -> bool:
    """Input is the program's whole name (`"ls " + x` names no program a caller can choose)."""
    return any(not o.built for o in program.origins_for(kind))
