"""Taint tracking over `ast`: which values in a function carry untrusted data, and how it got there.

Sources are entry points: request data of web frameworks (`flow.catalog`, `flow.entrypoints`),
the command line (`sys.argv`, `input()`, argparse, click/typer parameters) and the environment.
A function's own parameters are tracked too, as placeholders: they tell which parameter
reaches a sink or the return value, so callers can be judged (`provenfix.callers`).

Values are tracked precisely where the code makes them known: constants are folded (a branch the
code never takes carries nothing), lists, dicts and config stores built in the function keep
their elements, and guards clear a value on the branch where they hold (`flow.guards`). Taint
propagates through assignment, unpacking, concatenation, `%`, `.format`, f-strings, `.join`,
slicing, containers, attribute access and, through per-function return summaries, calls to
helpers anywhere in the project. Every evaluated call is recorded with the values of its
arguments, so detectors only have to ask "is this argument tainted, and how".
"""

from __future__ import annotations

import ast
import functools
import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from provenfix.flow import catalog, fold, guards
from provenfix.flow.entrypoints import entry_params, fixed_route, returns_html
from provenfix.flow.index import FunctionInfo, ModuleInfo, ProjectIndex

# Calls whose result cannot carry an injection, whatever went in.
CLEANSING = frozenset({"builtins.int", "builtins.float", "builtins.bool", "builtins.len", "builtins.abs",
                       "builtins.hash", "builtins.ord", "builtins.round", "builtins.isinstance", "uuid.UUID",
                       "hmac.new", "hmac.digest", "hmac.compare_digest", "zlib.crc32", "binascii.crc32"})
CLEANSING_MODULES = ("hashlib.",)  # a digest names the input but carries none of its characters
ENV_CALLS = frozenset({"os.getenv", "os.environ.get", "os.getenvb"})
# The request field a body-reading method returns (the proof harness sends the payload there).
BODY_METHODS = {"get_json": "json", "json": "json", "get_data": "data", "body": "data", "read": "data",
                "text": "data", "form": "form", "post": "form"}
OPTION_PAIRS = frozenset({"getopt.getopt", "getopt.gnu_getopt"})
CLI_PARSE_METHODS = frozenset({"parse_args", "parse_known_args", "parse_intermixed_args"})
# Methods that change a list in place; the list keeps known elements only through these.
LIST_MUTATORS = frozenset({"append", "pop", "insert", "extend", "clear"})
# Objects that store values under keys (`conf.set(section, key, value)` / `conf.get(section, key)`).
KEYED_STORES = {"configparser.ConfigParser()", "configparser.RawConfigParser()", "configparser.SafeConfigParser()"}
# Types whose fields or methods are input (the catalog's request objects and handlers).
INPUT_OBJECTS = frozenset({*catalog.INPUT_ATTRIBUTES, *catalog.INPUT_METHODS, *(t for t, _ in catalog.ATTRIBUTE_TYPES)})
# Buffers whose text is read back whole (`buf.write(x)` then `buf.getvalue()`).
TEXT_BUFFERS = frozenset({"io.StringIO()", "io.BytesIO()"})
RESPONSE = "<response>"  # the stand-in callee of a view's return value, which is the page it sends
SESSION_STORE = "<session>.__setitem__"  # the stand-in callee of `session[key] = value`
HEADER_STORE = "<headers>.__setitem__"  # the stand-in callee of `response.headers[name] = value`
SETTING = "<setting>"  # the stand-in callee of `NAME = value` (module, class body or function), for the names recipes judge
SESSIONS = frozenset({"flask.session", "quart.session", "flask.globals.session"})
# WSGI environ entries the client chooses besides its HTTP_* headers.
CLIENT_ENVIRON = frozenset({"QUERY_STRING", "PATH_INFO", "CONTENT_TYPE", "CONTENT_LENGTH", "REQUEST_URI", "RAW_URI",
                            "SCRIPT_NAME", "wsgi.input"})
MAX_STEPS = 8
MAX_TYPE = 160  # a producer chain longer than this is not a type worth keeping


class Step(NamedTuple):
    """One hop of evidence. A plain tuple: merged millions of times, so it must hash cheaply;
    detect.py turns the ones that reach a sink into model.Step."""

    kind: str  # "source" | "step"
    path: str
    line: int
    description: str


@dataclass(frozen=True)
class Source:
    kind: str  # "request" (web) | "cli" | "argv" | "input" | "env" | "param" (a placeholder: see module doc)
    name: str  # parameter name, or the request field ("args", "form", …)
    path: str
    line: int
    func: str | None = None  # full name of the function a parameter belongs to
    key: str | None = None  # request key, when read with a constant key

    @property
    def category(self) -> str:
        """What `[tool.provenfix] sources` switches: "web", "cli", "env" or "param"."""
        return SOURCE_CATEGORIES[self.kind]


SOURCE_CATEGORIES = {"request": "web", "cli": "cli", "argv": "cli", "input": "cli", "env": "env", "param": "param"}


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
    # What the code makes known about the value itself (kept through assignment, dropped on merge
    # unless both sides agree):
    const: object = UNKNOWN  # the value, when it is a folded constant (str, int, bytes, ...)
    items: tuple["Value", ...] | None = None  # a list/tuple whose elements are known, in order
    entries: tuple[tuple[object, "Value"], ...] | None = None  # a dict/config store under constant keys
    type: str | None = None  # canonical type, or the call that made it: "flask.Request", "sqlite3.connect()"
    normalised: bool = False  # a path made canonical (realpath/abspath/normpath/resolve)
    # Where input enters text: the operands spliced into strings on the way (`bar` in f"<p>{bar}</p>"),
    # for fixes that encode input at that point. Recorded for the analysis' splice kinds only.
    splices: tuple[ast.expr, ...] = ()
    # The text known to come before the first input in a string built from it (CODE_TEXT stands for
    # text the code chose that the analysis cannot name): what decides where a URL goes. None: not known.
    lead: str | None = None

    def tainted(self, kind: str | None = None) -> bool:
        return any(kind is None or kind not in o.sanitized for o in self.origins)

    def origins_for(self, kind: str) -> list[Origin]:
        return [o for o in self.origins if kind not in o.sanitized]

    def leading(self) -> str | None:
        """The text before the input: its recorded lead, "" for input itself (nothing built around
        it), None when built in a way not followed."""
        if self.lead is not None:
            return self.lead
        return "" if self.origins and not any(o.built for o in self.origins) else None

    def _plain(self) -> bool:
        return (self.const is UNKNOWN and self.items is None and self.entries is None and self.type is None
                and not self.normalised and self.lead is None)

    def __or__(self, other: Value) -> Value:
        if other is self:
            return self
        if not other.origins and not other.joins and not other.splices and self._plain():
            return self
        if not self.origins and not self.joins and not self.splices and other._plain():
            return other
        same = lambda a, b: a is b or (type(a) is type(b) and a == b)  # noqa: E731 - 1 == True must not merge
        return Value(
            self.origins | other.origins,
            _merge_steps(self.steps, other.steps),
            tuple(dict.fromkeys((*self.joins, *other.joins))),
            tuple(dict.fromkeys((*self.via, *other.via))),
            self.const if same(self.const, other.const) else UNKNOWN,
            _merge_items(self.items, other.items),
            self.entries if self.entries is other.entries else None,
            self.type if self.type == other.type else None,
            self.normalised and other.normalised,
            tuple(dict.fromkeys((*self.splices, *other.splices))),
            self.lead if self.lead == other.lead else None,
        )

    def taint(self) -> Value:
        """The taint alone: for a new value derived from this one (a call's result, a concatenation)."""
        if self._plain():
            return self
        return Value(self.origins, self.steps, self.joins, self.via, splices=self.splices)

    def built(self) -> Value:
        return replace(self, origins=frozenset(replace(o, built=True) for o in self.origins))

    def sanitized(self, kind: str) -> Value:
        if kind == guards.ALL:
            return replace(self, origins=frozenset(), steps=(), splices=())
        # Encoded or checked: where input entered it before is no place to encode it again.
        return replace(self, origins=frozenset(replace(o, sanitized=o.sanitized | {kind}) for o in self.origins),
                       splices=())

    def with_step(self, step: Step) -> Value:
        if not self.origins:
            return self
        return replace(self, steps=_merge_steps(self.steps, (step,)))


CODE_TEXT = "\0"


def lead_of(parts: Iterable[Value]) -> str | None:
    """The lead of text made of `parts` in order: the parts before the first input, then its own lead."""
    text = ""
    for part in parts:
        if part.origins:
            lead = part.leading()
            return None if lead is None else text + lead
        text += part.const if isinstance(part.const, str) else CODE_TEXT
    return None


PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsab%])")


def _percent_lead(template: object, args: Value) -> str | None:
    """The lead of `template % args`, a %-format of positional values."""
    if not isinstance(template, str) or "%(" in template:
        return None
    values = list(args.items) if args.items is not None else [args]
    parts, at = [], 0
    for spec in PERCENT_SPEC.finditer(template):
        parts.append(known(template[at:spec.start()]))
        at = spec.end()
        if spec.group(1) == "%":
            parts.append(known("%"))
        elif values:
            value = values.pop(0)
            parts.append(value if spec.group(0) == "%s" else replace(value, const=UNKNOWN))
    parts.append(known(template[at:]))
    return lead_of(parts)


def _format_lead(template: object, args: list[Value], keywords: dict[str, Value]) -> str | None:
    """The lead of `template.format(*args, **keywords)`."""
    if not isinstance(template, str):
        return None
    parts, auto = [], 0
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return None
    for literal, name, spec, conversion in fields:
        parts.append(known(literal))
        if name is None:
            continue
        head = re.match(r"[^.\[]*", name).group(0)
        if head == "":
            head, auto = str(auto), auto + 1
        value = args[int(head)] if head.isdigit() and int(head) < len(args) else keywords.get(head)
        if value is None:
            return None
        parts.append(value if head == name and not spec and not conversion else replace(value, const=UNKNOWN))
    return lead_of(parts)


def _merge_items(a: tuple[Value, ...] | None, b: tuple[Value, ...] | None) -> tuple[Value, ...] | None:
    """Two branches built lists of the same length: element by element (`["sh", "-c"]` or `["cmd", "/c"]`)."""
    if a is b:
        return a
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(x | y for x, y in zip(a, b))


def known(const: object) -> Value:
    return EMPTY if const is fold.NOT_FOLDED else Value(const=const)


def taint_of(values: Iterable[Value]) -> Value:
    """The taint of all `values` together, nothing else known: a value built from them."""
    v = EMPTY
    for x in values:
        v = v | x.taint()
    return v.taint()


def of_items(items: tuple[Value, ...]) -> Value:
    """A list whose elements are known: its taint is theirs."""
    return replace(taint_of(items), items=items)


def of_entries(entries: tuple[tuple[object, Value], ...], type_: str | None = None) -> Value:
    return replace(taint_of(item for _, item in entries), entries=entries, type=type_)


def _entry(entries: tuple[tuple[object, Value], ...], key: object) -> Value | None:
    for k, v in entries:
        if type(k) is type(key) and k == key:
            return v
    return None


def _with_entry(entries: tuple[tuple[object, Value], ...], key: object, value: Value) -> tuple[tuple[object, Value], ...]:
    return (*[(k, v) for k, v in entries if not (type(k) is type(key) and k == key)], (key, value))


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

    def callee(self, index: ProjectIndex) -> FunctionInfo | None:
        """The project function this call runs, if any."""
        return project_callee(index, self.module, self.function, self.node, self.name)


def project_callee(index: ProjectIndex, module: ModuleInfo, fn: FunctionInfo | None, call: ast.Call,
                   name: str | None) -> FunctionInfo | None:
    """The project function `call` (named `name`) runs: `self.m()`/`cls.m()` in a method is its
    class's `m`; a method of a local object is no project function unless its type says so."""
    func = call.func
    if (fn is not None and fn.class_name and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id in ("self", "cls")):
        return module.functions.get(fn.qualname.rsplit(".", 1)[0] + "." + func.attr)
    if fn is not None and isinstance(func, ast.Name) and (local := module.functions.get(f"{fn.qualname}.<locals>.{func.id}")):
        return local  # a function defined in this one
    if name and name.startswith("<local>"):
        return None
    return index.function(name)


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
    # Calls and methods that neutralise some classes of sink only: name → taint kinds (the recipes declare them).
    sanitizers: Mapping[str, frozenset[str]] = field(default_factory=dict)
    sanitizing_methods: Mapping[str, frozenset[str]] = field(default_factory=dict)
    guard_calls: Mapping[str, str] = field(default_factory=dict)  # checks proving their first argument safe
    fix_helpers: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # name → (ast.dump of its code, kind)
    quoted_kinds: frozenset[str] = frozenset()  # kinds input cleared of a quote character is safe for
    line_kinds: frozenset[str] = frozenset()  # kinds input cleared of line breaks is safe for
    settings: re.Pattern[str] | None = None  # module-level names whose assignments are recorded (`DEBUG`)
    splice_kinds: frozenset[str] = frozenset()  # kinds whose fixes encode input where it enters text
    project_sanitizers: Mapping[str, str] = field(default_factory=dict)  # a project function's name → kind
    safe_fields: Mapping[str, frozenset[str]] = field(default_factory=dict)  # a request field → kinds it cannot harm
    _stand_ins: dict[int, ast.Call] = field(default_factory=dict)  # a view's return, a session store → a stand-in call
    summaries: dict[str, Summary] = field(default_factory=dict)
    calls: dict[int, CallSite] = field(default_factory=dict)
    callees: dict[int, set[str]] = field(default_factory=dict)  # unit → project functions it calls
    _units: dict[int, tuple[ModuleInfo, FunctionInfo | None]] = field(default_factory=dict)
    _in_progress: set[int] = field(default_factory=set)
    _patterns: dict[tuple[str, frozenset[str]], re.Pattern[str]] = field(default_factory=dict)

    def is_setting(self, name: str) -> bool:
        return self.settings is not None and self.settings.fullmatch(name) is not None

    def run(self, roots: Iterable[str] | None = None, max_passes: int = 4, names: frozenset[str] | None = None,
            when: Callable[[ModuleInfo, FunctionInfo | None], bool] | None = None,
            read: Callable[[str], object] | None = None) -> None:
        """Walk the units of `roots` (paths; default every file) that may call one of `names` (default:
        the sink names), or for which `when` holds, computing helpers' summaries on demand as calls
        reach them; then re-walk only units calling a function whose summary changed, up to a
        fixpoint. Units walked before are not walked again. A file whose text fails `read` (default:
        it names none of `names` in a call) is not even parsed, unless a call reaches it.

        Most code holds no sink and no source: skipping it is where the time goes, parsing first."""
        if names is not None:
            self.sink_names, self._patterns = names, {}
        wanted = when or self.may_call
        if read is None and when is None and self.sink_names is not None:
            read = calls_of(self.sink_names).search  # aliases (`from os import system as run`) name it too
        dirty = []
        for path in (f.path for f in self.index.files) if roots is None else roots:
            if read is not None and not read(self.index.text_of(path)):
                continue
            module = self.index.module_at(path)
            if module is not None:
                dirty += [unit for f in [None, *module.functions.values()]
                          if (unit := self._unit(module, f)) not in self.callees and wanted(module, f)]
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

    def may_call(self, module: ModuleInfo, fn: FunctionInfo | None, names: frozenset[str] | None = None) -> bool:
        """A textual pre-check (C speed) on the unit's source: does a call of one of the names (default: the
        sink names) appear?"""
        names = self.sink_names if names is None else names
        if names is None:
            return True
        pattern = self._patterns.get((module.path, names))
        if pattern is None:
            aliases = {local for local, canonical in module.imports.items() if canonical.rsplit(".", 1)[-1] in names}
            pattern = calls_of(names | aliases)
            if pattern.search(module.source) is None:
                pattern = NOTHING  # one search of the module spares one per function
            self._patterns[(module.path, names)] = pattern
        return pattern is not NOTHING and pattern.search(unit_text(module, fn)) is not None

    def sites(self) -> list[CallSite]:
        return sorted(self.calls.values(), key=lambda c: (c.module.path, c.node.lineno, c.node.col_offset))


class _FunctionWalker:
    def __init__(self, analysis: Analysis, module: ModuleInfo, fn: FunctionInfo | None) -> None:
        self.a = analysis
        self.m = module
        self.fn = fn
        self.env: dict[str, Value] = {}
        self.returns: Value | None = None  # None until a return: EMPTY would be a value of unknown shape
        self.callees: set[str] = set()
        self.url_sources: dict[str, str] = {}  # `u = urlparse(x)`: u → x, for guards testing u's host
        self.reader = guards.Reader(self.m.resolve, self._constant, self._normalised, analysis.guard_calls,
                                    self.url_sources.get, analysis.quoted_kinds)

    # -- driving ---------------------------------------------------------
    def walk(self) -> None:
        if self.fn is None:
            body = [s for s in self.m.tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
            self.block(body)
            for cls in self.m.tree.body:
                if isinstance(cls, ast.ClassDef):
                    self._class_settings(cls)
            return
        node = self.fn.node
        entries = entry_params(self.fn)
        params = self.fn.params
        skip_first = bool(self.fn.class_name) and params and params[0] in ("self", "cls") and params[0] not in entries
        for name in params[1:] if skip_first else params:
            self.env[name] = self._param(name, entries.get(name))
        self.block(node.body)
        self.a.summaries[self.fn.full_name] = Summary(self.returns or EMPTY)

    def _param(self, name: str, entry) -> Value:
        node = self.fn.node
        if entry is not None and entry.tainted:
            kind = "request" if entry.kind == "web" else "cli"
            return self._source(node, kind, name, entry.description)
        type_ = entry.type if entry is not None else self._annotation_type(name)
        type_ = catalog.TYPE_ALIASES.get(type_, type_) if type_ else None
        if type_ in INPUT_OBJECTS:  # a framework object: its fields are the input, not the object
            return Value(type=type_)
        # A placeholder origin: which parameter reaches a sink or the return value.
        src = Source("param", name, self.m.path, node.lineno, func=self.fn.full_name)
        step = Step(kind="source", path=self.m.path, line=node.lineno, description=f"parameter `{name}` of `{self.fn.qualname}`")
        return Value(frozenset({Origin(src)}), (step,), type=type_)

    def _annotation_type(self, name: str) -> str | None:
        a = self.fn.node.args
        for p in (*a.posonlyargs, *a.args, *a.kwonlyargs):
            if p.arg == name and p.annotation is not None:
                resolved = self.m.resolve(p.annotation)
                if resolved and "." in resolved and not resolved.startswith(("builtins.", "typing.")):
                    return resolved
        if name == "request" and self.m.imported_roots & {"django", "rest_framework"}:
            return "django.http.HttpRequest"  # a view helper handed the request: its fields are still input
        return None

    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.stmt(stmt)

    def branch(self, *arms: tuple[list[ast.stmt], list[guards.Fact]]) -> None:
        """Run alternative blocks from the same state, each with what its guard proves, and keep the
        union of what the blocks that fall through leave."""
        start = dict(self.env)
        results = []
        for body, facts in arms:
            self.env = dict(start)
            self._apply(facts)
            self.block(body)
            if not guards.always_leaves(body, self.m.resolve):
                results.append(self.env)
        if not results:
            self.env = start
            return
        merged: dict[str, Value] = dict(results[0])
        for env in results[1:]:
            for k in merged.keys() | env.keys():
                merged[k] = merged.get(k, EMPTY) | env.get(k, EMPTY)
        self.env = merged

    def _apply(self, facts: list[guards.Fact]) -> None:
        for fact in facts:
            if fact.name in self.env:
                self.env[fact.name] = self.env[fact.name].sanitized(fact.kinds)

    def stmt(self, s: ast.stmt) -> None:
        match s:
            case ast.Assign(targets=targets, value=value):
                v = self.expr(value)
                for t in targets:
                    self.bind(t, v, s)
                    if isinstance(t, ast.Name):
                        self._note_url_source(t.id, value)
                    if isinstance(t, ast.Name) and self.a.is_setting(t.id):  # a function's local too: `password = "…"`
                        self._stand_in(t, ast.Name(id=t.id, ctx=ast.Load()), SETTING, [value], [v])
            case ast.AnnAssign(target=target, value=value) if value is not None:
                self.bind(target, self.expr(value), s)
            case ast.AugAssign(target=target, op=op, value=value):
                v = self.expr(value)
                old = self.expr(target)
                new = taint_of((old, v))
                folded = fold.binary(op, old.const, v.const) if old.const is not UNKNOWN and v.const is not UNKNOWN else fold.NOT_FOLDED
                if folded is not fold.NOT_FOLDED:
                    new = replace(new, const=folded)
                if isinstance(op, (ast.Add, ast.Mod)) and v.origins:
                    new = new.built()
                if isinstance(op, ast.Add) and new.origins:
                    new = replace(new, lead=lead_of([old, v]))
                if isinstance(op, ast.Add) and old.items is not None and v.items is not None:
                    new = of_items((*old.items, *v.items))
                self.bind(target, new, s, strong=False)
            case ast.Expr(value=value):
                self.expr(value)
            case ast.Return(value=value) if value is not None:
                v = self.expr(value)
                self.returns = v if self.returns is None else self.returns | v
                if self.fn is not None and v.origins and returns_html(self.fn):
                    self._response(s, value, v)
            case ast.If(test=test, body=body, orelse=orelse):
                truth = _truth(self.expr(test))
                if truth is not None:  # a branch the code never takes carries nothing
                    self.block(body if truth else orelse)
                    return
                self.branch((body, guards.facts(test, True, self.reader)), (orelse, guards.facts(test, False, self.reader)))
            case ast.Assert(test=test):
                self.expr(test)
                self._apply(guards.facts(test, True, self.reader))
            case ast.For(target=target, iter=it, body=body, orelse=orelse) | ast.AsyncFor(
                target=target, iter=it, body=body, orelse=orelse
            ):
                self.bind(target, self._element(self.expr(it)), s)
                for _ in range(2):
                    self.branch((body, []), ([], []))
                self.block(orelse)
            case ast.While(test=test, body=body, orelse=orelse):
                if _truth(self.expr(test)) is False:
                    self.block(orelse)
                    return
                for _ in range(2):
                    self.branch((body, guards.facts(test, True, self.reader)), ([], []))
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
                self.branch((body + orelse, []), *[(h.body, []) for h in handlers])
                self.block(final)
            case ast.Match(subject=subject, cases=cases):
                const = self.expr(subject).const
                if const is not UNKNOWN:  # `match guess:` on a folded constant runs one case, or none
                    for c in cases:
                        hit = fold.case_matches(c.pattern, const)
                        if hit is None or (hit and c.guard is not None):
                            break
                        if hit:
                            self.block(c.body)
                            return
                    else:
                        return
                self.branch(*[(c.body, []) for c in cases], ([], []))
            case ast.FunctionDef() | ast.AsyncFunctionDef() | ast.ClassDef():
                pass  # analysed as units of their own
            case _:
                for child in ast.iter_child_nodes(s):
                    if isinstance(child, ast.expr):
                        self.expr(child)

    def bind(self, target: ast.expr, v: Value, stmt: ast.stmt, strong: bool = True) -> None:
        match target:
            case ast.Name(id=name):
                self.env[name] = v.with_step(self._step(stmt, f"assigned to `{name}`"))
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                starred = any(isinstance(e, ast.Starred) for e in elts)
                if v.items is not None and len(v.items) == len(elts) and not starred:
                    for e, item in zip(elts, v.items):  # `a, b = x, y`: each name gets its own value
                        self.bind(e, item, stmt, strong)
                else:
                    for e in elts:
                        self.bind(e, v.taint(), stmt, strong)
            case ast.Starred(value=inner):
                self.bind(inner, v, stmt, strong)
            case ast.Attribute() | ast.Subscript():
                key = _dotted(target)
                container = target.value if isinstance(target, ast.Subscript) else None
                if key and container is None:
                    self.env[key] = v.with_step(self._step(stmt, f"assigned to `{key}`"))
                index = self.expr(target.slice) if isinstance(target, ast.Subscript) else EMPTY  # the key stored under
                if isinstance(target, ast.Subscript) and (v.origins or index.origins):
                    self._session_store(target, v)
                    self._header_store(target, v, stmt)
                if isinstance(target, ast.Subscript) and isinstance(stmt, ast.Assign):
                    self._config_store(target.value, index.const, stmt.value, v)
                if container is not None and (ckey := _dotted(container)):
                    old = self.env.get(ckey, EMPTY)
                    if old.entries is not None and index.const is not UNKNOWN:
                        self.env[ckey] = of_entries(_with_entry(old.entries, index.const, v), old.type)
                    else:
                        # d[k] = tainted taints d itself: containers carry what is put in them.
                        self.env[ckey] = (old | v.taint()).taint() if v.origins else old

    def _step(self, node: ast.AST, text: str) -> Step:
        return Step(kind="step", path=self.m.path, line=getattr(node, "lineno", 0), description=text)

    # -- what guards need ---------------------------------------------------
    def _constant(self, e: ast.expr) -> object:
        """The folded constant of `e` without recording anything (guards ask about tests already walked)."""
        if isinstance(e, ast.Constant):
            return e.value
        if isinstance(e, ast.Name) and e.id in self.env:
            const = self.env[e.id].const
            return fold.NOT_FOLDED if const is UNKNOWN else const
        return fold.NOT_FOLDED

    def _spliced(self, v: Value, operands: list[tuple[ast.expr, Value]]) -> Value:
        """`v`, text built from `operands`: input that enters it here, not built into text before,
        is spliced at its operand."""
        kinds = self.a.splice_kinds
        leaves = [node for node, part in operands if not part.splices and any(part.tainted(k) for k in kinds)]
        return replace(v, splices=tuple(dict.fromkeys((*v.splices, *leaves)))) if leaves else v

    def _fix_helper_kind(self, callee: FunctionInfo) -> str | None:
        """The kind `callee` defends: a function a fix inserted, to the letter (a project's own function
        of that name proves nothing: a check that looks right is how these bugs happen), or an
        encoder by a name only encoders go by (`escape_html`), which a recipe declares."""
        known = self.a.fix_helpers.get(callee.node.name)
        if known is not None and ast.dump(callee.node) == known[0]:
            return known[1]
        return self.a.project_sanitizers.get(callee.node.name)

    def _response(self, s: ast.Return, value: ast.expr, v: Value) -> None:
        """A view's return value is the page: it is recorded as a call of `<response>` for detectors."""
        self._stand_in(value, ast.Name(id=RESPONSE, ctx=ast.Load()), RESPONSE, [value], [v])

    def _stand_in(self, at: ast.expr, func: ast.expr, name: str, nodes: list[ast.expr], values: list[Value],
                  receiver: Value = EMPTY) -> None:
        """Record what is no call (a return, a store) as a call of `name` for detectors: one stand-in node
        per place, so the site is the same however often its unit is walked."""
        node = self.a._stand_ins.get(id(at))
        if node is None:
            node = ast.copy_location(ast.Call(func=func, args=nodes, keywords=[]), at)
            self.a._stand_ins[id(at)] = node
        self.a.calls[id(node)] = CallSite(self.m, self.fn, node, name, values, {}, receiver)

    def _header_store(self, target: ast.Subscript, v: Value, stmt: ast.stmt) -> None:
        """`response.headers[name] = value`: recorded as a call of `<headers>.__setitem__(name, value)`
        whose receiver is the response, for detectors of what a response sends."""
        container = target.value
        if isinstance(container, ast.Attribute) and container.attr == "headers":
            assigned = stmt.value if isinstance(stmt, ast.Assign) and stmt.targets == [target] else target
            self._stand_in(target, ast.Attribute(value=container, attr="__setitem__", ctx=ast.Load()), HEADER_STORE,
                           [target.slice, assigned], [self.expr(target.slice), v], self.expr(container.value))

    def _class_settings(self, cls: ast.ClassDef) -> None:
        """`class Config: SECRET_KEY = "…"` (a class body is no unit of its own): each attribute a recipe
        judges by name is recorded as a `SETTING` stand-in whose callee is `Config.SECRET_KEY`."""
        for stmt in cls.body:
            if isinstance(stmt, ast.Assign):
                for t in stmt.targets:
                    if isinstance(t, ast.Name) and self.a.is_setting(t.id):
                        self._stand_in(t, ast.Attribute(value=ast.Name(id=cls.name, ctx=ast.Load()), attr=t.id, ctx=ast.Load()),
                                       SETTING, [stmt.value], [self.expr(stmt.value)])

    def _config_store(self, container: ast.expr, key: object, value: ast.expr, v: Value) -> None:
        """`app.config["DEBUG"] = True` (or `app.config.update(DEBUG=True)`) for a setting a recipe judges:
        recorded as a `SETTING` stand-in whose callee is `app.config.DEBUG`."""
        if isinstance(container, ast.Attribute) and container.attr == "config" and isinstance(key, str) and self.a.is_setting(key):
            self._stand_in(value, ast.Attribute(value=container, attr=key, ctx=ast.Load()), SETTING, [value], [v],
                           self.expr(container.value))

    def _session_store(self, target: ast.Subscript, v: Value) -> None:
        """`session[key] = value` (Flask's session, or a Django request's): recorded as a call of
        `<session>.__setitem__(key, value)`, where a trust boundary is crossed."""
        container = target.value
        owner = self.m.resolve(container)
        if owner not in SESSIONS and not (isinstance(container, ast.Attribute) and container.attr == "session"
                                          and self.expr(container.value).type in catalog.INPUT_ATTRIBUTES):
            return
        key = target.slice
        self._stand_in(target, ast.Attribute(value=container, attr="__setitem__", ctx=ast.Load()), SESSION_STORE,
                       [key, target], [self.expr(key), v])

    def _note_url_source(self, name: str, value: ast.expr) -> None:
        self.url_sources.pop(name, None)
        if (isinstance(value, ast.Call) and value.args and self.m.resolve(value.func) in guards.URL_PARSERS
                and (source := _dotted(value.args[0]))):
            self.url_sources[name] = source

    def _normalised(self, e: ast.expr) -> bool:
        if isinstance(e, ast.Call):
            if isinstance(e.func, ast.Attribute) and e.func.attr in ("resolve", "realpath", "absolute") and not e.args:
                return e.func.attr != "absolute"
            return self.m.resolve(e.func) in guards.NORMALISERS
        key = _dotted(e)
        return bool(key) and key in self.env and self.env[key].normalised

    # -- expressions -----------------------------------------------------
    def expr(self, e: ast.expr | None) -> Value:
        if e is None:
            return EMPTY
        match e:
            case ast.Constant(value=value):
                return known(value) if isinstance(value, fold.CONSTANT_TYPES) else EMPTY
            case ast.Name(id=name):
                if name in self.env:
                    return self.env[name]
                if kind := catalog.GLOBAL_OBJECTS.get(self.m.resolve(e) or ""):
                    return Value(type=kind)  # `request` of Flask: an object whose fields are input
                if kind := self.m.object_types.get(name):
                    return Value(type=kind)  # `log = logging.getLogger(...)` at module level
                return EMPTY  # module constants are the code's own, not input
            case ast.Attribute():
                return self._attribute(e)
            case ast.Subscript(value=value, slice=sl):
                v = self.expr(value)
                index = self.expr(sl).const
                if index is not UNKNOWN:
                    if v.items is not None and isinstance(index, int) and not isinstance(index, bool) and -len(v.items) <= index < len(v.items):
                        return v.items[index]
                    if v.entries is not None:
                        return _entry(v.entries, index) or EMPTY
                    if v.const is not UNKNOWN:
                        return known(fold.subscript(v.const, index))
                if isinstance(sl, ast.Slice) and v.const is not UNKNOWN:
                    bounds = [self.expr(b).const if b is not None else None for b in (sl.lower, sl.upper, sl.step)]
                    if UNKNOWN not in bounds:
                        return known(fold.subscript(v.const, slice(*bounds)))
                if isinstance(index, str) and _server_set(v, index):
                    return EMPTY
                return _keyed(v.taint(), index) if isinstance(index, str) else v.taint()
            case ast.Call():
                return self.call(e)
            case ast.BinOp(left=left, op=op, right=right):
                lv, rv = self.expr(left), self.expr(right)
                v = taint_of((lv, rv))
                if lv.const is not UNKNOWN and rv.const is not UNKNOWN:
                    return known(fold.binary(op, lv.const, rv.const))
                if isinstance(op, ast.Add) and lv.items is not None and rv.items is not None:
                    return of_items((*lv.items, *rv.items))
                if isinstance(op, (ast.Add, ast.Mod)) and v.origins:
                    v = v.built()  # mixed with other text: interpolation, not a pass-through
                    pairs = [(left, lv), (right, rv)]
                    if isinstance(op, ast.Mod) and isinstance(right, ast.Tuple) and rv.items is not None:
                        pairs = [(left, lv), *zip(right.elts, rv.items)]
                    v = self._spliced(v, pairs)
                    lead = lead_of([lv, rv]) if isinstance(op, ast.Add) else _percent_lead(lv.const, rv)
                    v = replace(v, lead=lead)
                if isinstance(op, (ast.Div, ast.Add)) and rv.origins and v.origins:
                    # `BASE / name` or `BASE + "/" + name`: remember the outermost join for path fixes.
                    inner = tuple(j for j in v.joins if j is not left)
                    v = replace(v.built(), joins=(*[j for j in inner if not _contains(e, j)], e))
                return v
            case ast.JoinedStr(values=values):
                pairs = [(part.value if isinstance(part, ast.FormattedValue) else part, self.expr(part)) for part in values]
                lead = lead_of(v if isinstance(node, ast.Constant) or (node.conversion == -1 and node.format_spec is None)
                               else replace(v, const=UNKNOWN) for node, (_, v) in zip(values, pairs))
                return replace(self._spliced(taint_of([v for _, v in pairs]).built(), pairs), lead=lead)
            case ast.FormattedValue(value=value, format_spec=spec, conversion=conversion):
                v = self.expr(value)
                if conversion == ord("r") and "builtins.repr" in self.a.sanitizers:  # `{x!r}` is `repr(x)`
                    v = _sanitized(v, self.a.sanitizers["builtins.repr"])
                return v | self.expr(spec)
            case ast.BoolOp(op=op, values=values):
                parts = [self.expr(part) for part in values]
                truths = [_truth(p) for p in parts]
                for part, truth in zip(parts, truths):  # `a or b` is the first truthy operand, `a and b` the first falsy
                    if truth is None:
                        break
                    if truth == isinstance(op, ast.Or):
                        return part
                v = EMPTY
                for part in parts:
                    v = v | part
                return v
            case ast.IfExp(test=test, body=body, orelse=orelse):
                truth = _truth(self.expr(test))
                if truth is not None:
                    return self.expr(body if truth else orelse)
                return self.expr(body) | self.expr(orelse)
            case ast.Compare(left=left, ops=ops, comparators=comps):
                values = [self.expr(x).const for x in (left, *comps)]
                if UNKNOWN in values:
                    return EMPTY
                return known(fold.compare(ops, values))
            case ast.UnaryOp(op=op, operand=operand):
                v = self.expr(operand)
                if v.const is not UNKNOWN:
                    return known(fold.unary(op, v.const))
                return EMPTY if isinstance(op, ast.Not) else v.taint()
            case ast.List(elts=elts) | ast.Tuple(elts=elts):
                values = tuple(self.expr(x) for x in elts)
                if any(isinstance(x, ast.Starred) for x in elts):
                    return of_items(()) | replace(of_items(values), items=None)
                return of_items(values)
            case ast.Set(elts=elts):
                return taint_of([self.expr(x) for x in elts])
            case ast.Dict(keys=keys, values=values):
                pairs = [(self.expr(k) if k is not None else None, self.expr(x)) for k, x in zip(keys, values)]
                if all(k is not None and k.const is not UNKNOWN for k, _ in pairs):
                    return of_entries(tuple((k.const, x) for k, x in pairs))
                return taint_of([part for pair in pairs for part in pair if part is not None])
            case ast.ListComp(elt=elt, generators=gens) | ast.SetComp(elt=elt, generators=gens) | ast.GeneratorExp(
                elt=elt, generators=gens
            ):
                return self.comprehension([elt], gens)
            case ast.DictComp(key=key, value=value, generators=gens):
                return self.comprehension([key, value], gens)
            case ast.Await(value=value) | ast.YieldFrom(value=value):
                return self.expr(value)
            case ast.Starred(value=value):
                return self.expr(value).taint()
            case ast.Yield(value=value):
                v = self.expr(value)
                self.returns = v if self.returns is None else self.returns | v
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

    def _attribute(self, e: ast.Attribute) -> Value:
        key = _dotted(e)
        if key and key in self.env:
            return self.env[key]
        base = self.expr(e.value)
        kind = base.type
        if kind is not None:
            if kind == "flask.Request" and e.attr == "path" and self.fn and (route := fixed_route(self.fn)) is not None:
                return known(route)  # the one path this view answers
            if e.attr in catalog.INPUT_ATTRIBUTES.get(kind, ()):
                label = _short(kind)
                return self._source(e, "request", e.attr, f"request field `{_text(e)}` ({label})")
            if (inner := catalog.ATTRIBUTE_TYPES.get((kind, e.attr))) is not None:
                return Value(type=inner)
            return base.taint()
        if self.fn is not None and self.fn.class_name and isinstance(e.value, ast.Name) and e.value.id == "self":
            if (declared := _declared_attributes(self.m, self.fn.class_name).get(e.attr)) is not None:
                return Value(type=declared)  # `request: flask.Request` in the class body
        name = self.m.resolve(e)
        if name == "sys.argv":
            return self._source(e, "argv", "argv", "command-line arguments `sys.argv`")
        if name == "os.environ":
            return self._source(e, "env", "environ", "environment `os.environ`")
        if name and (kind := catalog.GLOBAL_OBJECTS.get(name)):
            return Value(type=kind)
        return base.taint()

    def _element(self, v: Value) -> Value:
        """What iterating over `v` yields: one element (a tuple of known items when all elements agree)."""
        if v.items:
            first = v.items[0]
            if all(item.items is not None and first.items is not None and len(item.items) == len(first.items) for item in v.items):
                # `for opt, arg in [(a, b), (c, d)]`: keep the positions apart.
                columns = tuple(_union(item.items[i] for item in v.items) for i in range(len(first.items)))
                return of_items(columns)
            return _union(v.items)
        return v.taint()

    def comprehension(self, elts: list[ast.expr], gens: list[ast.comprehension]) -> Value:
        saved = dict(self.env)
        for g in gens:
            it = self._element(self.expr(g.iter))
            self._bind_plain(g.target, it)
            for cond in g.ifs:
                self.expr(cond)
        v = taint_of([self.expr(e) for e in elts])
        self.env = saved
        return v

    def _bind_plain(self, target: ast.expr, v: Value) -> None:
        if isinstance(target, ast.Name):
            self.env[target.id] = v
        elif isinstance(target, (ast.Tuple, ast.List)):
            if v.items is not None and len(v.items) == len(target.elts):
                for e, item in zip(target.elts, v.items):
                    self._bind_plain(e, item)
            else:
                for e in target.elts:
                    self._bind_plain(e, v.taint())

    def _resolve_call(self, func: ast.expr, receiver: Value) -> str | None:
        """The callee's canonical name. A method of a local object is named by the object's type, so a
        local that shadows an import (`yaml = YAML(typ="rt")`, assigned before the call) is not taken
        for the module."""
        if isinstance(func, ast.Attribute):
            head = func
            while isinstance(head, ast.Attribute):
                head = head.value
            if receiver.type is not None and receiver.type.endswith("()"):
                # An instance of a project class: its method.
                method = f"{receiver.type[:-2]}.{func.attr}"
                if self.a.index.function(method) is not None:
                    return method
            if not isinstance(head, ast.Name) and receiver.type is not None:
                return f"{receiver.type}.{func.attr}"  # `sqlite3.connect(p).cursor()`, `Console().push`
            if isinstance(head, ast.Name):
                if receiver.type is not None and (head.id in self.env or head.id in self.m.object_types):
                    return f"{receiver.type}.{func.attr}"
                if head.id in self.env and (head.id in self.m.imports or head.id in self.m.constants):
                    return f"<local>.{_dotted(func) or func.attr}"
        elif isinstance(func, ast.Name) and func.id in self.env and func.id in self.m.imports:
            return f"<local>.{func.id}"
        return self.m.resolve(func)

    def call(self, e: ast.Call) -> Value:
        receiver = self.expr(e.func.value) if isinstance(e.func, ast.Attribute) else EMPTY
        name = self._resolve_call(e.func, receiver)
        args = [self.expr(a) for a in e.args]
        keywords = {k.arg or "**": self.expr(k.value) for k in e.keywords}
        self.a.calls[id(e)] = CallSite(self.m, self.fn, e, name, args, keywords, receiver)
        everything = taint_of((receiver, *args, *keywords.values()))

        if name in CLEANSING or (name and name.startswith(CLEANSING_MODULES)):
            return Value(type=f"{name}()" if name and name.startswith(CLEANSING_MODULES) else None)
        if name in self.a.sanitizers:
            return _sanitized(everything, self.a.sanitizers[name])
        method = e.func.attr if isinstance(e.func, ast.Attribute) else None
        if method in self.a.sanitizing_methods:
            return _sanitized(everything, self.a.sanitizing_methods[method])
        if method == "update" and isinstance(e.func, ast.Attribute):
            for k in e.keywords:
                self._config_store(e.func.value, k.arg, k.value, keywords[k.arg or "**"])
        if method is not None and (changed := self._mutate(e, method, receiver, args)) is not None:
            return changed
        if (source := self._call_source(e, name, receiver, method)) is not None:
            return source
        if name in OPTION_PAIRS:  # ([(option, value), ...], rest): the option names are the code's own
            pairs = of_items((of_items((EMPTY, everything)),))
            return of_items((pairs, everything))
        callee = project_callee(self.a.index, self.m, self.fn, e, name)
        if callee is not None and (kind := self._fix_helper_kind(callee)):
            return everything.sanitized(kind)
        if callee is not None:
            return self._apply_summary(e, callee, args, keywords)
        if method == "get" and not e.args and e.keywords:
            return EMPTY  # `Model.objects.get(pk=x)`: the row the database holds, which the input only chose
        if method == "replace" and len(e.args) == 2 and self.a.quoted_kinds and _clears_quote(*(a.const for a in args)):
            everything = _sanitized(everything, self.a.quoted_kinds)
        if method == "replace" and len(e.args) == 2 and self.a.line_kinds and _clears_line_break(*(a.const for a in args)):
            everything = _sanitized(everything, self.a.line_kinds)
        if method in ("format", "format_map", "join", "replace") and everything.origins:
            everything = everything.built()
            if method == "format":
                everything = self._spliced(everything, [*zip(e.args, args), *((k.value, keywords[k.arg or "**"]) for k in e.keywords)])
                everything = replace(everything, lead=_format_lead(receiver.const, args, keywords))
            elif method == "join" and e.args and isinstance(e.args[0], (ast.List, ast.Tuple)) and args[0].items is not None:
                everything = self._spliced(everything, list(zip(e.args[0].elts, args[0].items)))
                if isinstance(receiver.const, str):
                    glue, parts = known(receiver.const), []
                    for item in args[0].items:
                        parts += [glue, item] if parts else [item]
                    everything = replace(everything, lead=lead_of(parts))
        if method in ("strip", "lstrip", "rstrip", "lower", "upper", "title", "casefold") and receiver.const is not UNKNOWN and not e.args:
            return known(getattr(receiver.const, method)()) if isinstance(receiver.const, str) else everything
        if name in ("os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath") and len(e.args) > 1:
            # Joined to a base, the code's own or a parameter naming the directory (`join(dir_path, name)`):
            # built, not passed through.
            if all(o.source.kind == "param" for o in args[0].origins) and any(a.origins - args[0].origins for a in args[1:]):
                everything = replace(everything.built(), joins=(e,))
        if self._normalised(e):
            everything = replace(everything, normalised=True)
        made = self._made_type(name, receiver, method)
        if made in KEYED_STORES:
            return of_entries((), made)
        return replace(everything, type=made) if made else everything

    def _made_type(self, name: str | None, receiver: Value, method: str | None) -> str | None:
        """What a call makes, as far as the analysis can name it: "sqlite3.connect()", "….cursor()"."""
        if method is not None and receiver.type is not None:
            made = f"{receiver.type}.{method}()"
        elif name and not name.startswith("<local>") and "." in name:
            made = f"{name}()"
        else:
            return None
        return made if len(made) <= MAX_TYPE else None

    def _mutate(self, e: ast.Call, method: str, receiver: Value, args: list[Value]) -> Value | None:
        """Calls that change a local list or store in place; None when `e` is not one."""
        target = e.func.value if isinstance(e.func, ast.Attribute) else None
        key = _dotted(target) if target is not None else None
        if key is None or key not in self.env:
            return None
        if receiver.type in KEYED_STORES and receiver.entries is not None:
            consts = [a.const for a in args]
            if method == "set" and len(args) == 3 and UNKNOWN not in consts[:2]:
                self.env[key] = of_entries(_with_entry(receiver.entries, tuple(consts[:2]), args[2]), receiver.type)
                return EMPTY
            if method == "get" and len(args) >= 2 and UNKNOWN not in consts[:2]:
                return _entry(receiver.entries, tuple(consts[:2])) or EMPTY
            if method in ("add_section", "has_section", "has_option", "read", "sections"):
                return EMPTY
        if receiver.type in TEXT_BUFFERS and method in ("write", "writelines"):  # text gathered to read back later
            self.env[key] = replace(taint_of((receiver, *args)).built(), type=receiver.type)
            return EMPTY
        if receiver.entries is not None and receiver.type is None and method in ("get", "pop") and args:
            if (k := args[0].const) is not UNKNOWN:
                found = _entry(receiver.entries, k)
                default = args[1] if len(args) > 1 else EMPTY
                return found if found is not None else default
        if receiver.items is None or method not in LIST_MUTATORS:
            if (receiver.items is not None or receiver.entries is not None) and any(a.origins for a in args):
                self.env[key] = taint_of((receiver, *args))  # changed in a way not modelled: keep the taint only
            return None
        items = list(receiver.items)
        if method == "append" and len(args) == 1:
            items.append(args[0])
        elif method == "extend" and len(args) == 1 and args[0].items is not None:
            items.extend(args[0].items)
        elif method == "insert" and len(args) == 2 and isinstance(args[0].const, int):
            items.insert(args[0].const, args[1])
        elif method == "pop" and len(args) <= 1:
            where = args[0].const if args else -1
            if not isinstance(where, int) or not items or not -len(items) <= where < len(items):
                self.env[key] = receiver.taint()
                return receiver.taint()
            popped = items.pop(where)
            self.env[key] = of_items(tuple(items))
            return popped
        elif method == "clear":
            items = []
        else:
            self.env[key] = taint_of((receiver, *args))
            return EMPTY
        self.env[key] = of_items(tuple(items))
        return EMPTY

    def _apply_summary(self, e: ast.Call, callee: FunctionInfo, args: list[Value], keywords: dict[str, Value]) -> Value:
        self.callees.add(callee.full_name)
        summary = self.a.summary_of(callee)
        if summary is None:
            return EMPTY
        if not summary.value.origins:
            const = summary.value.const
            return Value(const=const, type=summary.value.type) if const is not UNKNOWN or summary.value.type else EMPTY
        bound = bind_arguments(callee, args, keywords)
        step = Step(kind="step", path=callee.module.path, line=callee.node.lineno,
                    description=f"built and returned by `{callee.qualname}()` in {callee.module.path}")

        def as_called(v: Value) -> Value:
            """`v` as this call returns it: the callee's parameters are the caller's arguments."""
            if not v.origins:
                return v
            result = EMPTY
            for o in v.origins:
                if o.source.kind == "param" and o.source.func == callee.full_name:
                    arg = bound.get(o.source.name, EMPTY)
                    result = result | replace(arg.taint(), origins=frozenset(
                        replace(a, built=a.built or o.built, sanitized=a.sanitized | o.sanitized) for a in arg.origins))
                else:
                    result = result | Value(frozenset({o}), v.steps)
            result = result.taint().with_step(step)
            return replace(result, via=(*result.via, callee.full_name), joins=(*result.joins, *v.joins),
                           splices=tuple(dict.fromkeys((*result.splices, *v.splices))), type=v.type)

        result = as_called(summary.value)
        if summary.value.items is not None:  # `return ["ping", "-c", "1", host]`: each argument keeps its place
            result = replace(result, items=tuple(as_called(item) for item in summary.value.items))
        return result

    # -- sources -----------------------------------------------------------
    def _source(self, e: ast.AST, kind: str, name: str, text: str, key: str | None = None) -> Value:
        src = Source(kind, name, self.m.path, getattr(e, "lineno", 0), key=key)
        step = Step(kind="source", path=self.m.path, line=src.line, description=text)
        v = Value(frozenset({Origin(src)}), (step,))
        if kind == "request" and name in self.a.safe_fields:  # the request's own path names this site
            v = _sanitized(v, self.a.safe_fields[name])
        return v

    def _call_source(self, e: ast.Call, name: str | None, receiver: Value, method: str | None) -> Value | None:
        if name == "builtins.input":
            return self._source(e, "input", "input", "user input from `input()`")
        if name in ENV_CALLS:
            return self._source(e, "env", "environ", f"environment via `{name}()`")
        if method is None:
            return None
        kind = receiver.type
        if kind is not None and method in catalog.INPUT_METHODS.get(kind, ()):
            field_name = BODY_METHODS.get(method, method)
            return self._source(e, "request", field_name, f"request data from `{_text(e.func)}()` ({_short(kind)})")
        if method in CLI_PARSE_METHODS and (kind is None or kind.startswith(("argparse.", "optparse."))):
            return self._source(e, "cli", "args", f"command-line options from `{_text(e.func)}()`")
        if method in ("get", "getlist") and receiver.origins and any(o.source.kind == "request" for o in receiver.origins):
            key = e.args[0].value if e.args and isinstance(e.args[0], ast.Constant) and isinstance(e.args[0].value, str) else None
            if key is not None:
                return _keyed(receiver.taint(), key)
        return None


def _server_set(v: Value, key: str) -> bool:
    """`request.META["CSRF_COOKIE"]`: a WSGI environ entry the server or a middleware sets, not
    the client (whose headers arrive as HTTP_*, and the request line as QUERY_STRING and PATH_INFO)."""
    return (bool(v.origins) and all(o.source.kind == "request" and o.source.name in ("META", "environ") for o in v.origins)
            and not key.startswith("HTTP_") and key not in CLIENT_ENVIRON)


def _sanitized(v: Value, kinds: Iterable[str]) -> Value:
    for kind in sorted(kinds):
        v = v.sanitized(kind)
    return v


def _clears_quote(old: object, new: object) -> bool:
    """`x.replace("'", "&apos;")`: every quote character of one kind is gone from the result."""
    return old in ("'", '"') and isinstance(new, str) and old not in new


def _clears_line_break(old: object, new: object) -> bool:
    """`x.replace("\\n", " ")`: the result holds no newline, so it is one line of a log or a header."""
    return isinstance(old, str) and "\n" in old and isinstance(new, str) and "\n" not in new


def _keyed(v: Value, key: str) -> Value:
    """Request data read under a constant key (`request.args["q"]`): the key names the input."""
    if not v.origins:
        return v
    return replace(v, origins=frozenset(
        replace(o, source=replace(o.source, key=o.source.key or key)) if o.source.kind == "request" else o
        for o in v.origins))


def _declared_attributes(module: ModuleInfo, class_name: str) -> dict[str, str]:
    """`name: Type` annotations in a class body: what `self.name` is."""
    cache = module.memo.setdefault("declared", {})
    if class_name not in cache:
        found: dict[str, str] = {}
        for stmt in module.tree.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == class_name:
                for item in stmt.body:
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        resolved = module.resolve(item.annotation)
                        if resolved and "." in resolved:
                            found[item.target.id] = catalog.TYPE_ALIASES.get(resolved, resolved)
        cache[class_name] = found
    return cache[class_name]


NOTHING = re.compile(r"(?!)")  # matches no text


@functools.lru_cache(maxsize=64)
def calls_of(names: frozenset[str]) -> re.Pattern[str]:
    """A pattern for a call of any of `names` (compiled once per set: most modules share the same)."""
    return re.compile(rf"\b(?:{'|'.join(sorted(map(re.escape, names)))})\s*\(")


def unit_text(module: ModuleInfo, fn: FunctionInfo | None) -> str:
    """A unit's source: a function's lines, or the whole module for its top level (a superset will do)."""
    if fn is None:
        return module.source
    return "\n".join(module.lines[fn.node.lineno - 1 : fn.node.end_lineno])


def _truth(v: Value) -> bool | None:
    """Whether a value is truthy, when it is a folded constant; None otherwise."""
    return None if v.const is UNKNOWN else fold.truth(v.const)


def _union(values: Iterable[Value]) -> Value:
    v = EMPTY
    for x in values:
        v = v | x
    return v


def bind_arguments(callee: FunctionInfo, args: list[Value], keywords: dict[str, Value]) -> dict[str, Value]:
    """The callee's parameters bound to a call's argument values."""
    bound: dict[str, Value] = dict(zip(callee.positional, args))
    bound.update({k: v for k, v in keywords.items() if k != "**"})
    return bound


def _short(kind: str) -> str:
    return kind.split(".")[0].capitalize().replace("Rest_framework", "Django REST framework")


def _text(e: ast.expr) -> str:
    try:
        return ast.unparse(e)
    except Exception:  # an unusual tree from the fallback parser
        return "?"


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
