"""Taint tracking over `ast`: which values in a function carry untrusted data, and how it got there.

Sources are function parameters, web request fields, `sys.argv`, `input()` and the
environment. Taint propagates through assignment, unpacking, concatenation, `%`,
`.format`, f-strings, `.join`, slicing, containers, attribute access and — through
per-function return summaries — calls to helpers anywhere in the project. Every
evaluated call is recorded with the values of its arguments, so detectors only have
to ask "is this argument tainted, and how".
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex

FLASK_FIELDS = frozenset({"args", "form", "values", "json", "cookies", "headers", "files", "data", "view_args"})
DJANGO_FIELDS = frozenset({"GET", "POST", "COOKIES", "body", "FILES", "META", "data", "query_params"})
FLASK_METHODS = {"get_json": "json", "get_data": "data"}
# Calls whose result cannot carry an injection, whatever went in.
CLEANSING = frozenset({"builtins.int", "builtins.float", "builtins.bool", "builtins.len", "builtins.abs",
                       "builtins.hash", "builtins.ord", "builtins.round", "builtins.isinstance", "uuid.UUID"})
# Calls that neutralise one class of sink only.
SANITIZERS = {
    "shlex.quote": "cmd",
    "pipes.quote": "cmd",
    "os.path.basename": "path",
    "werkzeug.utils.secure_filename": "path",
}
ENV_CALLS = frozenset({"os.getenv", "os.environ.get"})
MAX_STEPS = 8


class Step(NamedTuple):
    """One hop of evidence. A plain tuple: merged millions of times, so it must hash cheaply;
    detect.py turns the ones that reach a sink into model.Step."""

    kind: str  # "source" | "step"
    path: str
    line: int
    description: str


@dataclass(frozen=True)
class Source:
    kind: str  # "param" | "request" | "argv" | "input" | "env"
    name: str  # parameter name, or the request field ("args", "form", …)
    path: str
    line: int
    func: str | None = None  # full name of the function a parameter belongs to
    key: str | None = None  # request key, when read with a constant key


@dataclass(frozen=True)
class Origin:
    source: Source
    sanitized: frozenset[str] = frozenset()
    built: bool = False  # interpolated into a larger string


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()  # Value.const when the value is not a known constant


@dataclass(frozen=True)
class Value:
    origins: frozenset[Origin] = frozenset()
    steps: tuple[Step, ...] = ()
    joins: tuple[ast.expr, ...] = ()  # path-join expressions that mixed a base with tainted parts
    via: tuple[str, ...] = ()  # project functions whose return carried the taint
    const: object = UNKNOWN  # the value itself, when the code makes it a known constant (str, int, bytes, ...)
    items: tuple["Value", ...] | None = None  # a list/tuple whose elements are known, in order
    type: str | None = None  # canonical type, or the call that made it: "flask.Request", "sqlite3.connect()"

    def tainted(self, kind: str | None = None) -> bool:
        return any(kind is None or kind not in o.sanitized for o in self.origins)

    def origins_for(self, kind: str) -> list[Origin]:
        return [o for o in self.origins if kind not in o.sanitized]

    def __or__(self, other: Value) -> Value:
        if not other.origins and not other.joins:
            return self
        if not self.origins and not self.joins:
            return other
        return Value(
            self.origins | other.origins,
            _merge_steps(self.steps, other.steps),
            tuple(dict.fromkeys((*self.joins, *other.joins))),
            tuple(dict.fromkeys((*self.via, *other.via))),
        )

    def built(self) -> Value:
        return replace(self, origins=frozenset(replace(o, built=True) for o in self.origins))

    def with_step(self, step: Step) -> Value:
        if not self.origins:
            return self
        return replace(self, steps=_merge_steps(self.steps, (step,)))


EMPTY = Value()


def _merge_steps(a: tuple[Step, ...], b: tuple[Step, ...]) -> tuple[Step, ...]:
    merged = tuple(dict.fromkeys((*a, *b)))
    if len(merged) > MAX_STEPS:
        sources = [s for s in merged if s.kind == "source"][:2]
        merged = (*sources, *[s for s in merged if s.kind != "source"][-(MAX_STEPS - len(sources)):])
    return merged


@dataclass
class CallSite:
    module: ModuleInfo
    function: FunctionInfo | None  # None at module level
    node: ast.Call
    name: str | None  # canonical callee, e.g. "subprocess.run" or "pkg.db.search"
    args: list[Value]
    keywords: dict[str, Value]
    receiver: Value  # value of `obj` in `obj.method(...)`

    @property
    def receiver_type(self) -> str | None:
        """What `obj` in `obj.method(...)` is, when known: a canonical type or the call that made it."""
        return self.receiver.type


@dataclass
class Summary:
    """What a function's return value carries: its own parameters' taint and any other source."""

    value: Value = EMPTY

    def key(self) -> frozenset:
        return frozenset((o.source, o.built, o.sanitized) for o in self.value.origins)


@dataclass
class Analysis:
    index: ProjectIndex
    sink_names: frozenset[str] | None = None  # bare callee names detectors look at; None: every unit
    summaries: dict[str, Summary] = field(default_factory=dict)
    calls: dict[int, CallSite] = field(default_factory=dict)
    callees: dict[int, set[str]] = field(default_factory=dict)  # unit → project functions it calls
    _units: dict[int, tuple[ModuleInfo, FunctionInfo | None]] = field(default_factory=dict)
    _in_progress: set[int] = field(default_factory=set)
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict)

    def run(self, roots: Iterable[str] | None = None, max_passes: int = 4) -> None:
        """Walk the units of `roots` (paths; default every file) that may hold a sink, computing helpers'
        summaries on demand as calls reach them; then re-walk only units calling a function whose
        summary changed, up to a fixpoint.

        Most code holds no sink: skipping it is where the time goes, and a helper nobody
        with a sink calls cannot matter to any finding."""
        dirty = []
        for path in (f.path for f in self.index.files) if roots is None else roots:
            module = self.index.module_at(path)
            if module is not None:
                dirty += [self._unit(module, f) for f in [None, *module.functions.values()] if self._may_hold_sink(module, f)]
        for _ in range(max_passes):
            before = {k: s.key() for k, s in self.summaries.items()}
            for unit in dirty:
                self._walk(unit)
            changed = {k for k, s in self.summaries.items() if before.get(k) != s.key()}
            dirty = [u for u in self.callees if self.callees[u] & changed]
            if not dirty:
                break

    def summary_of(self, callee: FunctionInfo) -> Summary | None:
        if callee.full_name not in self.summaries and id(callee) not in self._in_progress:
            self._walk(self._unit(callee.module, callee))  # first call reaching this helper: analyse it now
        return self.summaries.get(callee.full_name)

    def _unit(self, module: ModuleInfo, fn: FunctionInfo | None) -> int:
        key = id(fn) if fn else id(module)
        self._units[key] = (module, fn)
        return key

    def _walk(self, unit: int) -> None:
        module, fn = self._units[unit]
        self._in_progress.add(unit)
        try:
            walker = _FunctionWalker(self, module, fn)
            walker.walk()  # re-recording a call site replaces its entry: node ids are stable
            self.callees[unit] = walker.callees
        finally:
            self._in_progress.discard(unit)

    def _may_hold_sink(self, module: ModuleInfo, fn: FunctionInfo | None) -> bool:
        """A textual pre-check (C speed) on the unit's source: does any detector's call name appear?"""
        if self.sink_names is None:
            return True
        pattern = self._patterns.get(module.path)
        if pattern is None:
            aliases = {local for local, canonical in module.imports.items() if canonical.rsplit(".", 1)[-1] in self.sink_names}
            words = "|".join(sorted(map(re.escape, self.sink_names | aliases)))
            pattern = self._patterns[module.path] = re.compile(rf"\b(?:{words})\s*\(")
        if fn is None:
            return pattern.search(module.source) is not None  # module level: a superset is fine
        text = "\n".join(module.lines[fn.node.lineno - 1 : fn.node.end_lineno])
        return pattern.search(text) is not None

    def sites(self) -> list[CallSite]:
        return sorted(self.calls.values(), key=lambda c: (c.module.path, c.node.lineno, c.node.col_offset))


class _FunctionWalker:
    def __init__(self, analysis: Analysis, module: ModuleInfo, fn: FunctionInfo | None) -> None:
        self.a = analysis
        self.m = module
        self.fn = fn
        self.env: dict[str, Value] = {}
        self.returns = EMPTY
        self.callees: set[str] = set()

    # -- driving ---------------------------------------------------------
    def walk(self) -> None:
        if self.fn is None:
            body = [s for s in self.m.tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
            self.block(body)
            return
        node = self.fn.node
        params = self.fn.params
        skip_first = bool(self.fn.class_name) and params and params[0] in ("self", "cls")
        for name in params[1:] if skip_first else params:
            src = Source("param", name, self.m.path, node.lineno, func=self.fn.full_name)
            step = Step(kind="source", path=self.m.path, line=node.lineno,
                            description=f"parameter `{name}` of `{self.fn.qualname}`")
            self.env[name] = Value(frozenset({Origin(src)}), (step,))
        self.block(node.body)
        self.a.summaries[self.fn.full_name] = Summary(self.returns)

    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.stmt(stmt)

    def branch(self, *bodies: list[ast.stmt]) -> None:
        """Run alternative blocks from the same state and keep the union of what they leave."""
        start = dict(self.env)
        results = []
        for body in bodies:
            self.env = dict(start)
            self.block(body)
            results.append(self.env)
        merged: dict[str, Value] = {}
        for env in results:
            for k, v in env.items():
                merged[k] = merged.get(k, EMPTY) | v
        self.env = merged

    def stmt(self, s: ast.stmt) -> None:
        match s:
            case ast.Assign(targets=targets, value=value):
                v = self.expr(value)
                for t in targets:
                    self.bind(t, v, s)
            case ast.AnnAssign(target=target, value=value) if value is not None:
                self.bind(target, self.expr(value), s)
            case ast.AugAssign(target=target, op=op, value=value):
                v = self.expr(value)
                old = self.expr(target)
                new = old | v
                if isinstance(op, (ast.Add, ast.Mod)) and v.origins:
                    new = new.built()
                self.bind(target, new, s, strong=False)
            case ast.Expr(value=value):
                self.expr(value)
            case ast.Return(value=value) if value is not None:
                v = self.expr(value)
                self.returns = self.returns | v
            case ast.If(test=test, body=body, orelse=orelse):
                self.expr(test)
                self._containment_guard(test)
                self.branch(body, orelse)
            case ast.For(target=target, iter=it, body=body, orelse=orelse) | ast.AsyncFor(
                target=target, iter=it, body=body, orelse=orelse
            ):
                self.bind(target, self.expr(it), s)
                for _ in range(2):
                    self.branch(body, [])
                self.block(orelse)
            case ast.While(test=test, body=body, orelse=orelse):
                self.expr(test)
                for _ in range(2):
                    self.branch(body, [])
                self.block(orelse)
            case ast.With(items=items, body=body) | ast.AsyncWith(items=items, body=body):
                for item in items:
                    v = self.expr(item.context_expr)
                    if item.optional_vars is not None:
                        self.bind(item.optional_vars, v, s)
                self.block(body)
            case ast.Try(body=body, handlers=handlers, orelse=orelse, finalbody=final) | ast.TryStar(
                body=body, handlers=handlers, orelse=orelse, finalbody=final
            ):
                self.branch(body + orelse, *[h.body for h in handlers])
                self.block(final)
            case ast.Match(subject=subject, cases=cases):
                self.expr(subject)
                self.branch(*[c.body for c in cases], [])
            case ast.FunctionDef() | ast.AsyncFunctionDef() | ast.ClassDef():
                pass  # analysed as units of their own
            case _:
                for child in ast.iter_child_nodes(s):
                    if isinstance(child, ast.expr):
                        self.expr(child)

    def _containment_guard(self, test: ast.expr) -> None:
        """`if not p.is_relative_to(BASE)` / `commonpath` / `startswith` checks confine `p`: no longer a traversal."""
        for node in ast.walk(test):
            if not isinstance(node, ast.Call):
                continue
            checked: list[ast.expr] = []
            if isinstance(node.func, ast.Attribute) and node.func.attr in ("is_relative_to", "relative_to", "startswith"):
                checked.append(node.func.value)
            if self.m.resolve(node.func) in ("os.path.commonpath", "os.path.commonprefix"):
                checked.extend(a for arg in node.args for a in ast.walk(arg) if isinstance(a, ast.Name))
            for expr in checked:
                key = _dotted(expr)
                if key in self.env:
                    v = self.env[key]
                    self.env[key] = replace(v, origins=frozenset(
                        replace(o, sanitized=o.sanitized | {"path"}) for o in v.origins))

    def bind(self, target: ast.expr, v: Value, stmt: ast.stmt, strong: bool = True) -> None:
        match target:
            case ast.Name(id=name):
                self.env[name] = v.with_step(self._step(stmt, f"assigned to `{name}`"))
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                for e in elts:
                    self.bind(e, v, stmt, strong)
            case ast.Starred(value=inner):
                self.bind(inner, v, stmt, strong)
            case ast.Attribute() | ast.Subscript():
                key = _dotted(target)
                container = target.value if isinstance(target, ast.Subscript) else None
                if key:
                    self.env[key] = v.with_step(self._step(stmt, f"assigned to `{key}`"))
                if container is not None and (ckey := _dotted(container)):
                    # d[k] = tainted taints d itself: containers carry what is put in them.
                    self.env[ckey] = self.env.get(ckey, EMPTY) | v

    def _step(self, node: ast.AST, text: str) -> Step:
        return Step(kind="step", path=self.m.path, line=getattr(node, "lineno", 0), description=text)

    # -- expressions -----------------------------------------------------
    def expr(self, e: ast.expr | None) -> Value:
        if e is None:
            return EMPTY
        match e:
            case ast.Constant():
                return EMPTY
            case ast.Name(id=name):
                return self.env.get(name, EMPTY)  # module constants are the code's own, not input
            case ast.Attribute():
                src = self._attribute_source(e)
                if src is not None:
                    return src
                key = _dotted(e)
                if key and key in self.env:
                    return self.env[key]
                return self.expr(e.value)
            case ast.Subscript(value=value, slice=sl):
                v = self.expr(value)
                self.expr(sl)
                key = sl.value if isinstance(sl, ast.Constant) and isinstance(sl.value, str) else None
                if key and v.origins:
                    v = replace(v, origins=frozenset(
                        replace(o, source=replace(o.source, key=o.source.key or key)) if o.source.kind == "request" else o
                        for o in v.origins))
                return v
            case ast.Call():
                return self.call(e)
            case ast.BinOp(left=left, op=op, right=right):
                lv, rv = self.expr(left), self.expr(right)
                v = lv | rv
                if isinstance(op, (ast.Add, ast.Mod)) and v.origins:
                    v = v.built()  # mixed with other text: interpolation, not a pass-through
                if isinstance(op, (ast.Div, ast.Add)) and rv.origins and v.origins:
                    # `BASE / name` or `BASE + "/" + name`: remember the outermost join for path fixes.
                    inner = tuple(j for j in v.joins if j is not left)
                    v = replace(v, joins=(*[j for j in inner if not _contains(e, j)], e))
                return v
            case ast.JoinedStr(values=values):
                v = EMPTY
                for part in values:
                    v = v | self.expr(part)
                return v.built()
            case ast.FormattedValue(value=value, format_spec=spec):
                return self.expr(value) | self.expr(spec)
            case ast.BoolOp(values=values):
                v = EMPTY
                for part in values:
                    v = v | self.expr(part)
                return v
            case ast.IfExp(test=test, body=body, orelse=orelse):
                self.expr(test)
                return self.expr(body) | self.expr(orelse)
            case ast.Compare(left=left, comparators=comps):
                self.expr(left)
                for c in comps:
                    self.expr(c)
                return EMPTY
            case ast.UnaryOp(operand=operand):
                return self.expr(operand)
            case ast.List(elts=elts) | ast.Tuple(elts=elts) | ast.Set(elts=elts):
                v = EMPTY
                for x in elts:
                    v = v | self.expr(x)
                return v
            case ast.Dict(keys=keys, values=values):
                v = EMPTY
                for x in (*keys, *values):
                    v = v | self.expr(x)
                return v
            case ast.ListComp(elt=elt, generators=gens) | ast.SetComp(elt=elt, generators=gens) | ast.GeneratorExp(
                elt=elt, generators=gens
            ):
                return self.comprehension([elt], gens)
            case ast.DictComp(key=key, value=value, generators=gens):
                return self.comprehension([key, value], gens)
            case ast.Await(value=value) | ast.Starred(value=value) | ast.YieldFrom(value=value):
                return self.expr(value)
            case ast.Yield(value=value):
                v = self.expr(value)
                self.returns = self.returns | v
                return EMPTY
            case ast.NamedExpr(target=target, value=value):
                v = self.expr(value)
                self.env[target.id] = v
                return v
            case ast.Slice(lower=lo, upper=up, step=st):
                for x in (lo, up, st):
                    self.expr(x)
                return EMPTY
            case _:
                return EMPTY

    def comprehension(self, elts: list[ast.expr], gens: list[ast.comprehension]) -> Value:
        saved = dict(self.env)
        for g in gens:
            it = self.expr(g.iter)
            self._bind_plain(g.target, it)
            for cond in g.ifs:
                self.expr(cond)
        v = EMPTY
        for e in elts:
            v = v | self.expr(e)
        self.env = saved
        return v

    def _bind_plain(self, target: ast.expr, v: Value) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = v
        elif isinstance(target, (ast.Tuple, ast.List)):
            for e in target.elts:
                self._bind_plain(e, v)

    def call(self, e: ast.Call) -> Value:
        name = self.m.resolve(e.func)
        receiver = self.expr(e.func.value) if isinstance(e.func, ast.Attribute) else EMPTY
        args = [self.expr(a) for a in e.args]
        keywords = {k.arg or "**": self.expr(k.value) for k in e.keywords}
        self.a.calls[id(e)] = CallSite(self.m, self.fn, e, name, args, keywords, receiver)
        everything = receiver
        for v in (*args, *keywords.values()):
            everything = everything | v

        if name in CLEANSING:
            return EMPTY
        if name in SANITIZERS:
            return replace(everything, origins=frozenset(
                replace(o, sanitized=o.sanitized | {SANITIZERS[name]}) for o in everything.origins))
        if (source := self._call_source(e, name)) is not None:
            return source
        callee = self._project_callee(e, name)
        if callee is not None:
            return self._apply_summary(e, callee, args, keywords)
        if isinstance(e.func, ast.Attribute) and e.func.attr in ("format", "format_map", "join", "replace") and everything.origins:
            everything = everything.built()
        if name in ("os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath") and len(e.args) > 1:
            if not args[0].origins and any(a.origins for a in args[1:]):
                everything = replace(everything, joins=(e,))
        return everything

    def _project_callee(self, e: ast.Call, name: str | None) -> FunctionInfo | None:
        if (
            self.fn is not None
            and self.fn.class_name
            and isinstance(e.func, ast.Attribute)
            and isinstance(e.func.value, ast.Name)
            and e.func.value.id in ("self", "cls")
        ):
            qual = self.fn.qualname.rsplit(".", 1)[0] + "." + e.func.attr
            return self.m.functions.get(qual)
        return self.a.index.function(name)

    def _apply_summary(self, e: ast.Call, callee: FunctionInfo, args: list[Value], keywords: dict[str, Value]) -> Value:
        self.callees.add(callee.full_name)
        summary = self.a.summary_of(callee)
        if summary is None or not summary.value.origins:
            return EMPTY
        bound: dict[str, Value] = dict(zip(callee.positional, args))
        bound.update({k: v for k, v in keywords.items() if k != "**"})
        result = EMPTY
        for o in summary.value.origins:
            if o.source.kind == "param" and o.source.func == callee.full_name:
                arg = bound.get(o.source.name, EMPTY)
                result = result | replace(arg, origins=frozenset(
                    replace(a, built=a.built or o.built, sanitized=a.sanitized | o.sanitized) for a in arg.origins))
            else:
                result = result | Value(frozenset({o}), summary.value.steps)
        step = Step(kind="step", path=callee.module.path, line=callee.node.lineno,
                        description=f"built and returned by `{callee.qualname}()` in {callee.module.path}")
        result = result.with_step(step)
        return replace(result, via=(*result.via, callee.full_name), joins=(*result.joins, *summary.value.joins))

    # -- sources -----------------------------------------------------------
    def _source(self, e: ast.AST, kind: str, name: str, text: str, key: str | None = None) -> Value:
        src = Source(kind, name, self.m.path, getattr(e, "lineno", 0), key=key)
        step = Step(kind="source", path=self.m.path, line=src.line, description=text)
        return Value(frozenset({Origin(src)}), (step,))

    def _attribute_source(self, e: ast.Attribute) -> Value | None:
        name = self.m.resolve(e)
        if name and name.startswith("flask.request.") and e.attr in FLASK_FIELDS:
            return self._source(e, "request", e.attr, f"request field `request.{e.attr}` (Flask)")
        if name == "sys.argv":
            return self._source(e, "argv", "argv", "command-line arguments `sys.argv`")
        if name == "os.environ":
            return self._source(e, "env", "environ", "environment `os.environ`")
        if isinstance(e.value, ast.Name) and e.value.id == "request" and e.attr in DJANGO_FIELDS:
            return self._source(e, "request", e.attr, f"request field `request.{e.attr}`")
        return None

    def _call_source(self, e: ast.Call, name: str | None) -> Value | None:
        if name == "builtins.input":
            return self._source(e, "input", "input", "user input from `input()`")
        if name in ENV_CALLS:
            return self._source(e, "env", "environ", f"environment via `{name}()`")
        if name and name.startswith("flask.request."):
            parts = name.split(".")
            if len(parts) == 3 and parts[2] in FLASK_METHODS:
                field_name = FLASK_METHODS[parts[2]]
                return self._source(e, "request", field_name, f"request body via `request.{parts[2]}()` (Flask)")
            if len(parts) == 4 and parts[2] in FLASK_FIELDS and parts[3] in ("get", "getlist"):
                key = e.args[0].value if e.args and isinstance(e.args[0], ast.Constant) else None
                return self._source(e, "request", parts[2], f"request field `request.{parts[2]}.{parts[3]}({key!r})` (Flask)", key)
        return None


def _dotted(e: ast.expr) -> str | None:
    parts = []
    while isinstance(e, ast.Attribute):
        parts.append(e.attr)
        e = e.value
    if isinstance(e, ast.Name):
        return ".".join([e.id, *reversed(parts)])
    if isinstance(e, ast.Subscript):
        return _dotted(e.value)
    return None


def _contains(outer: ast.AST, inner: ast.AST) -> bool:
    return any(n is inner for n in ast.walk(outer))


def analyse(index: ProjectIndex, sink_names: frozenset[str] | None = None, roots: Iterable[str] | None = None) -> Analysis:
    analysis = Analysis(index, sink_names)
    analysis.run(roots)
    return analysis
