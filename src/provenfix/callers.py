"""Sinks flow back to callers: which parameters of a function reach a sink, and which calls pass input there.

A function whose parameter reaches a sink (`def run_cmd(cmd): return os.popen(cmd).read()`) is not
a finding by itself: whether it is one depends on what its callers pass. Its *reach* ("parameter
`cmd` of `run_cmd` reaches `os.popen`") is kept, and every call passing untrusted data for that
parameter becomes a finding at the sink, its evidence running from the caller's source through the
call to the sink. A caller that passes its own parameter gets a reach of its own, and so on up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from provenfix.flow.index import FunctionInfo
from provenfix.flow.taint import CallSite, Origin, Step, Value, bind_arguments


@dataclass(frozen=True)
class Reach:
    """Parameter `param` of `function` reaches the sink of `match` (a recipe's Match)."""

    function: str  # full name
    param: str
    rule: str
    kind: str  # the recipe's taint kind, for sanitizers on the way
    match: object  # recipes.base.Match at the sink
    origin: Origin  # the placeholder origin of the parameter, as it reached the sink
    steps: tuple[Step, ...]  # from the parameter to the sink
    calls: int = 0  # calls between the parameter and the sink

    @property
    def key(self) -> tuple:
        """One reach per parameter, rule and sink, however many paths lead there."""
        return self.function, self.param, self.rule, id(self.match.site.node)


def reaches_of(function: FunctionInfo, value: Value, kind: str, rule: str, match: object, calls: int = 0) -> list[Reach]:
    """The reaches a sink's value gives its enclosing function: one per own parameter in it."""
    out = []
    # In a fixed order: a set's order changes from run to run, and the first reach met is kept.
    for o in sorted(value.origins_for(kind), key=lambda o: (o.source.name, o.built, sorted(o.sanitized))):
        if o.source.kind == "param" and o.source.func == function.full_name:
            own = f"parameter `{o.source.name}` of"
            # From this parameter on: other sources' first steps belong to other reaches.
            steps = tuple(s._replace(kind="step") if s.description.startswith(own) else s
                          for s in value.steps if s.kind != "source" or s.description.startswith(own))
            out.append(Reach(function.full_name, o.source.name, rule, kind, match, o, steps, calls))
    return out


def through_call(site: CallSite, reach: Reach, callee: FunctionInfo) -> Value | None:
    """What the call passes to the reached parameter, carried on to the sink; None when nothing untrusted."""
    arg = bind_arguments(callee, site.args, site.keywords).get(reach.param)
    if arg is None or not arg.tainted(reach.kind):
        return None
    step = Step("step", site.module.path, site.node.lineno, f"passed as `{reach.param}` to `{callee.qualname}()`")
    origins = frozenset(
        replace(o, built=o.built or reach.origin.built, sanitized=o.sanitized | reach.origin.sanitized)
        for o in arg.origins_for(reach.kind)
    )
    steps = tuple(dict.fromkeys((*arg.steps, step, *reach.steps)))
    return Value(origins, steps, arg.joins, arg.via)
