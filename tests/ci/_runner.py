"""Runs a composite action's `run:` steps the way the GitHub runner does, on this machine.

Only what action.yml uses: `${{ inputs.X }}`, `${{ github.X }}` and `${{ steps.ID.outputs.X }}`
in `env:`, `with:` and input defaults; `if:` conditions of `A == 'x'` / `A != 'x'` joined by `&&`;
`shell: bash` run as `bash --noprofile --norc -eo pipefail FILE`; GITHUB_OUTPUT files read back.
`uses:` steps are not run (setup-python and upload-sarif need GitHub); they are returned with their
`with:` resolved, for the test to check.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_COMPARE = re.compile(r"^([\w.-]+)\s*(==|!=)\s*'([^']*)'$")


@dataclass
class Context:
    inputs: dict[str, str]
    github: dict[str, str]
    steps: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, name: str) -> str:
        head, _, rest = name.partition(".")
        if head == "inputs":
            return self.inputs[rest]
        if head == "github":
            return self.github[rest]
        if head == "steps":
            step, outputs, key = rest.split(".", 2)
            assert outputs == "outputs", name
            return self.steps.get(step, {}).get(key, "")
        raise AssertionError(f"expression not supported by this runner: {name}")

    def substitute(self, text: str) -> str:
        return _EXPR.sub(lambda m: self.get(m.group(1)), text)

    def holds(self, condition: str | None) -> bool:
        if condition is None:
            return True
        for part in condition.split("&&"):
            match = _COMPARE.match(part.strip())
            assert match, f"condition not supported by this runner: {part}"
            name, op, literal = match.groups()
            if (self.get(name) == literal) != (op == "=="):
                return False
        return True


@dataclass
class Step:
    name: str
    uses: str | None = None
    with_: dict[str, str] = field(default_factory=dict)
    ran: bool = False
    skipped: bool = False
    process: subprocess.CompletedProcess[str] | None = None
    outputs: dict[str, str] = field(default_factory=dict)


def inputs_of(action: dict[str, Any], given: dict[str, str], github: dict[str, str]) -> dict[str, str]:
    defaults = Context({}, github)
    declared = action["inputs"]
    unknown = set(given) - set(declared)
    assert not unknown, f"not inputs of the action: {unknown}"
    return {name: given.get(name, defaults.substitute(str(spec.get("default", "")))) for name, spec in declared.items()}


def run_steps(action: dict[str, Any], context: Context, *, cwd: Path, env: dict[str, str], scratch: Path,
              only: set[str] | None = None) -> list[Step]:
    """Run the steps (those whose `id` or name is in `only`, if given) in order; stop at a failed one."""
    done: list[Step] = []
    for index, spec in enumerate(action["runs"]["steps"]):
        step = Step(name=spec.get("id") or spec.get("name", str(index)), uses=spec.get("uses"))
        if only is not None and step.name not in only:
            continue
        done.append(step)
        if not context.holds(spec.get("if")):
            step.skipped = True
            continue
        step.with_ = {k: context.substitute(str(v)) for k, v in (spec.get("with") or {}).items()}
        if step.uses:
            continue
        assert spec.get("shell") == "bash", f"step {step.name}: composite run steps name their shell"
        script = scratch / f"step-{index}.sh"
        script.write_text(spec["run"])
        output = scratch / f"output-{index}"
        output.write_text("")
        step_env = {**env, "GITHUB_OUTPUT": str(output), "GITHUB_WORKSPACE": str(cwd),
                    **{k: context.substitute(str(v)) for k, v in (spec.get("env") or {}).items()}}
        step.process = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd,
                                      env=step_env, capture_output=True, text=True, timeout=600)
        step.ran = True
        step.outputs = read_outputs(output.read_text())
        if "id" in spec:
            context.steps[spec["id"]] = step.outputs
        if step.process.returncode != 0:
            break
    return done


def read_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's two forms: `name=value` and `name<<DELIMITER` … `DELIMITER`."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value = []
            for body in lines:
                if body == delimiter:
                    break
                value.append(body)
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
    return outputs
