"""Detection: what counts as input (`Scope`), where a scan walks (`_Scan`, from the sources' side),
every recipe's detector on the call sites met, and Findings made of the matches, in one process
or split over several (`find`)."""

from __future__ import annotations

import ast
import gc
import hashlib
import multiprocessing
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass, replace

from provenfix.callers import Reach, reaches_of, through_call
from provenfix.flow import Analysis, ProjectIndex
from provenfix.flow.entrypoints import entry_params
from provenfix.flow.taint import NOTHING, SETTING, CallSite, unit_text
from provenfix.knowledge import load_rule
from provenfix.model import Finding, FlowStep, Location
from provenfix.recipes import ANALYSIS_TABLES, BY_RULE, RECIPES, Match, Recipe, assigns_a_setting, judging
from provenfix.recipes.base import entry_for
from provenfix.suppress import suppression_for
from provenfix.workspace import SourceFile, is_test_file


SOURCE_KINDS = ("web", "cli", "env")
DEFAULT_SOURCES = frozenset({"web"})
CONFIDENCE = {"web": "high", "param": "medium", "cli": "low", "env": "low"}
RANKS = ("low", "medium", "high")
MAX_CALL_DEPTH = 4  # how many callers up a sink's reach is followed


@dataclass(frozen=True)
class Scope:
    """What counts as untrusted input: `[tool.provenfix] sources` and `entry`.

    By default request data of web frameworks. The command line and the environment are sources
    only when named (`sources = ["web", "cli", "env"]`), and then with low confidence: the person
    running a command is usually its user, and a tool's options are meant to choose files and
    commands. With `entry = "public-api"` (for libraries) public functions' parameters are input too."""

    sources: frozenset[str] = DEFAULT_SOURCES
    public_api: bool = False

    @classmethod
    def from_config(cls, config: dict, entry: str | None = None) -> "Scope":
        sources = config.get("sources", sorted(DEFAULT_SOURCES))
        if not isinstance(sources, list) or not set(sources) <= set(SOURCE_KINDS):
            raise ValueError(f"[tool.provenfix] sources must be a list of {', '.join(SOURCE_KINDS)}")
        entry = entry or config.get("entry", "entry-points")
        if entry not in ("entry-points", "public-api"):
            raise ValueError(f"entry must be 'entry-points' or 'public-api', not {entry!r}")
        return cls(frozenset(sources), entry == "public-api")


@dataclass
class Detected:
    finding: Finding
    match: Match
    recipe: Recipe


@dataclass
class Detection:
    index: ProjectIndex
    items: list[Detected]

    @property
    def findings(self) -> list[Finding]:
        return [d.finding for d in self.items]


# Below this much source, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 512 * 1024
SHARES_PER_JOB = 1


def available_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def processes_for(files: list[SourceFile], jobs: int | None) -> int:
    """How many processes a scan of `files` uses: 1 means in this process."""
    jobs = min(jobs or available_cores(), len(files))
    # Forking a process that runs other threads can copy a lock held mid-operation: stay in one process.
    if jobs <= 1 or sum(len(f.text) for f in files) < PARALLEL_MIN_BYTES or threading.active_count() > 1:
        return 1
    return jobs


def find(files: list[SourceFile], only: set[str] | None, warnings: list[str], jobs: int | None = None,
         scope: Scope = Scope()) -> list[Finding]:
    """The findings alone, computed by up to `jobs` processes (default: every core).

    Each worker takes a contiguous run of files (neighbours share helpers, so few are parsed
    twice), parses and analyses it, following helpers into the rest of the project as needed:
    a sink reached through a call is found from the call's side, so a worker needs nobody else's
    results. Workers are forked after the files are read, so only paths go out and findings come
    back. Fingerprints count occurrences within one file, and a file belongs to one worker, so the
    result is the same as one process's, in the same order."""
    jobs = processes_for(files, jobs)
    if jobs == 1:
        return detect(files, only, warnings, scope=scope).findings
    global _FORKED
    _FORKED = (files, only, scope)
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            results = pool.map(_find_in, _contiguous_shares(files, jobs * SHARES_PER_JOB), chunksize=1)
    finally:
        _FORKED = None
    findings: list[Finding] = []
    for found, notes in results:
        findings += found
        warnings += [n for n in notes if n not in warnings]  # a broken helper is met by several workers
    return sorted(findings, key=_place)


_FORKED: tuple[list[SourceFile], set[str] | None, Scope] | None = None  # what forked workers inherit


def _find_in(paths: list[str]) -> tuple[list[Finding], list[str]]:
    assert _FORKED is not None, "a scan worker must be forked by find()"
    files, only, scope = _FORKED
    notes: list[str] = []
    return detect(files, only, notes, roots=paths, scope=scope).findings, notes


def _contiguous_shares(files: list[SourceFile], n: int) -> list[list[str]]:
    """`n` runs of consecutive files of about equal size."""
    total = sum(len(f.text) for f in files)
    shares: list[list[str]] = [[] for _ in range(n)]
    done = 0
    for f in files:
        shares[min(n - 1, done * n // max(total, 1))].append(f.path)
        done += len(f.text)
    return [s for s in shares if s]


def detect(files: list[SourceFile], only: set[str] | None = None, warnings: list[str] | None = None,
           roots: list[str] | None = None, scope: Scope = Scope()) -> Detection:
    """Analyse the project's `roots` (default: every file), following helpers across modules and sinks
    back to their callers; report sinks in `only` paths."""
    # Syntax trees are millions of small objects: the cyclic collector would rescan them again
    # and again while they are built and walked (measured: 2-3x the time of parsing itself).
    collecting = gc.isenabled()
    gc.disable()
    try:
        scan = _Scan(files, only, warnings if warnings is not None else [], roots, scope)
    finally:
        if collecting:
            gc.enable()
    return Detection(scan.index, sorted(scan.items, key=lambda d: _place(d.finding)))


def _place(f: Finding) -> tuple:
    """Report order: by place, then by fingerprint (one sink reached from several calls)."""
    return f.location.path, f.location.start_line, f.location.start_col, f.id


class _Scan:
    """Detection over `roots`, from the sources' side: the code where input of the scope enters,
    the code calling functions that return such input, and every helper their calls reach. Each
    recipe judges every call site met; a call passing input to a parameter that reaches a sink is
    a finding too (callers.py). Code no input reaches is not walked at all, save the few calls
    that are findings without any input."""

    def __init__(self, files: list[SourceFile], only: set[str] | None, warnings: list[str],
                 roots: list[str] | None, scope: Scope) -> None:
        self.index = ProjectIndex(files, warnings)
        self.warnings = warnings
        # First the code where a finding needs no input (a secret made with `random`), then the
        # code where input enters; helpers are walked as calls reach them.
        self.analysis = Analysis(self.index, _names_without_input(), **ANALYSIS_TABLES)
        self.analysis.run(roots, when=self._may_hold_finding_without_input, read=may_hold_finding_without_input)
        self.only, self.roots, self.scope = only, roots, scope
        self.mine = None if roots is None else set(roots)  # helpers walked for a root may lie in another's share
        self.items: list[Detected] = []
        self.reaches: dict[str, dict[tuple, Reach]] = {}  # function full name → its parameters that reach a sink
        self._calls: dict[str, list[CallSite]] = {}  # bare callee name → the call sites matched so far
        self._seen: Counter[str] = Counter()
        self._matched: set[int] = set()
        self._judged: set[tuple] = set()
        self._source_text = _source_pattern(scope)
        self._source_modules: dict[str, bool] = {}
        self._settle()
        self.analysis.run(roots, when=self._holds_source, read=None if scope.public_api else _source_files(scope).search)
        searched: set[str] = set()
        for _ in range(MAX_CALL_DEPTH):
            self._settle()
            names = self._returning_input() - searched
            if not names:
                break
            searched |= names
            self.analysis.run(roots, names=frozenset(names))

    def _settle(self) -> None:
        """Match the call sites recorded since last time, then judge calls to functions with reaches."""
        while True:
            before = (len(self._matched), sum(map(len, self.reaches.values())))
            for site in self.analysis.sites():
                if id(site.node) in self._matched:
                    continue
                self._matched.add(id(site.node))
                if site.name:
                    self._calls.setdefault(site.name.rsplit(".", 1)[-1], []).append(site)
                for recipe in judging(site.name, site.node.func):
                    try:
                        match = recipe.detect(site, self.analysis)
                    except Exception as exc:  # a detector's bug costs this call's judgement, not the scan
                        self.warnings.append(f"{site.module.path}:{site.node.lineno}: internal error in {recipe.rule_id}'s "
                                             f"detector ({type(exc).__name__}: {exc}); this call was not judged by it")
                        continue
                    if match is not None:
                        self._found(recipe, match)
            self._judge_calls()
            if (len(self._matched), sum(map(len, self.reaches.values()))) == before:
                return

    def _judge_calls(self) -> None:
        for full, reaches in list(self.reaches.items()):
            for site in self._calls.get(full.rsplit(".", 1)[-1].partition("@")[0], ()):
                callee = site.callee(self.analysis.index)
                if callee is None or callee.full_name != full:
                    continue
                for reach in list(reaches.values()):
                    if (judged := (id(site.node), reach.key, _rank(reach))) in self._judged:
                        continue
                    self._judged.add(judged)
                    if (value := through_call(site, reach, callee)) is not None:
                        # The test calls the sink's own function: the parameter of it the chain enters by, the innermost.
                        via = reach.match.detail.get("via_param", reach.param)
                        match = replace(reach.match, value=value, detail={**reach.match.detail, "via_param": via})
                        self._found(BY_RULE[reach.rule], match, caller=site, calls=reach.calls + 1)

    def _found(self, recipe: Recipe, match: Match, caller: CallSite | None = None, calls: int = 0) -> None:
        site = caller or match.site
        if (reported := _reported(match, recipe, self.scope, site.function)) is not None and self._wanted(match.site, site):
            self.items.append(Detected(_finding(recipe, reported, self.index, self._seen, caller), reported, recipe))
        if site.function is not None and calls < MAX_CALL_DEPTH:
            for reach in reaches_of(site.function, match.value, recipe.kind, recipe.rule_id, match, calls):
                known = self.reaches.setdefault(reach.function, {})
                if reach.key not in known or _rank(reach) < _rank(known[reach.key]):
                    known[reach.key] = reach  # the shortest, most telling path, whichever was met first

    def _wanted(self, sink: CallSite, caller: CallSite) -> bool:
        # A finding is where its sink is; a split scan reports it from the share that holds the call.
        return ((self.only is None or sink.module.path in self.only)
                and (self.mine is None or caller.module.path in self.mine))

    def _may_hold_finding_without_input(self, module, fn) -> bool:
        if "sets_settings" not in module.memo:  # one search of the module spares one per function
            module.memo["sets_settings"] = assigns_a_setting(module.source)
        if module.memo["sets_settings"] and assigns_a_setting(unit_text(module, fn)):
            return True
        if "without_input_names" not in module.memo:  # once per module: which of those recipes may find something here
            module.memo["without_input_names"] = frozenset().union(
                *(r.call_names for r, gate in WITHOUT_INPUT
                  if ("builtins" in r.without_input or not module.imported_roots.isdisjoint(r.without_input))
                  and (gate is None or gate.search(module.source))))
        # A unit calling one of *their* names: `open()` counts where `os` is imported for a chmod, not for `random`.
        names = module.memo["without_input_names"]
        return bool(names) and self.analysis.may_call(module, fn, names)

    def _holds_source(self, module, fn) -> bool:
        """A unit where input of this scope may enter: an entry point, or text naming a source."""
        if fn is not None and (entry_params(fn) or (self.scope.public_api and _public(fn))):
            return True
        if self._source_text is None:
            return False
        if module.path not in self._source_modules:  # one search of the module spares one per function
            self._source_modules[module.path] = self._source_text.search(module.source) is not None
        return self._source_modules[module.path] and self._source_text.search(unit_text(module, fn)) is not None

    def _returning_input(self) -> set[str]:
        """Bare names of functions whose return value carries input of this scope."""
        return {full.rsplit(".", 1)[-1] for full, summary in self.analysis.summaries.items()
                if any(o.source.category in self.scope.sources for o in summary.value.origins)}


# Findings made of the call alone, and the module their calls come from: a secret from `random`.
WITHOUT_INPUT_MODULES = frozenset().union(*(r.without_input for r in RECIPES))
# Each recipe finding things without input, with the text a module must hold for it (`without_input_text`).
WITHOUT_INPUT = tuple((r, re.compile(r.without_input_text) if r.without_input_text else None)
                      for r in RECIPES if r.without_input)
# Those whose calls need no import (`open`): a module qualifies by its text alone.
BUILTIN_GATES = tuple(gate for r, gate in WITHOUT_INPUT if "builtins" in r.without_input and gate is not None)
WITHOUT_INPUT_IMPORTS = (rf"\b(?:import|from)\s+(?:{'|'.join(map(re.escape, sorted(WITHOUT_INPUT_MODULES)))})\b"
                         if WITHOUT_INPUT_MODULES else r"(?!)")
WITHOUT_INPUT_FILES = re.compile(WITHOUT_INPUT_IMPORTS)


def may_hold_finding_without_input(text: str) -> bool:
    """A file worth parsing for findings without input: it imports one of their modules, or sets a setting
    whose value is a finding (`DEBUG = True`, `app.config["NAME"] = x`, `config.update(NAME=x)`, `password="…"`)."""
    return (WITHOUT_INPUT_FILES.search(text) is not None or assigns_a_setting(text)
            or any(gate.search(text) for gate in BUILTIN_GATES))


def _sink_text(site: CallSite) -> str:
    if site.name == SETTING:  # not a call: the assignment of a setting
        return f"sets `{ast.unparse(site.node.func)}`"
    return f"reaches `{(site.name or '?').removeprefix('builtins.')}()`"


def _names_without_input() -> frozenset[str]:
    return frozenset().union(*(r.call_names for r in RECIPES if r.without_input))


# Words a unit must contain for input of each kind to enter it (entry points are found by entrypoints.py).
SOURCE_WORDS = {"web": r"request|get_argument|get_query_argument|get_body_argument",
                "cli": r"argv|input|parse_args|parse_known_args|getopt",
                "env": r"environ|getenv"}


# What a file must contain for input of each kind to enter it: the words above, or the shape of an
# entry point (a route decorator, a view class, a URL table, a click/typer command).
SOURCE_FILES = {"web": r"Request|\.route\(|Route\(|View\b|add_url_rule|urlpatterns|add_get|add_post|add_route"
                       r"|@[\w.]+\.(?:get|post|put|patch|delete|head|options|websocket|api_route)\(",
                "cli": r"click|typer", "env": ""}


def _source_files(scope: Scope) -> re.Pattern[str]:
    """Files worth parsing for their sources: a file that fails it holds no input of the scope, and
    is parsed only if a call from elsewhere reaches it."""
    words = [SOURCE_WORDS[kind] for kind in sorted(scope.sources)]
    shapes = [SOURCE_FILES[kind] for kind in sorted(scope.sources) if SOURCE_FILES[kind]]
    return re.compile("|".join([rf"\b(?:{'|'.join(words)})\b", *shapes])) if words else NOTHING


def _source_pattern(scope: Scope) -> re.Pattern[str] | None:
    words = [SOURCE_WORDS[kind] for kind in sorted(scope.sources)]
    return re.compile(rf"\b(?:{'|'.join(words)})\b") if words else None


def _rank(reach: Reach) -> tuple:
    """Of two reaches of the same parameter to the same sink, the better: fewer calls, then one that
    mixes the parameter into the sink's text (it is reported in library mode), then fewer sanitizers."""
    return reach.calls, not reach.origin.built, len(reach.origin.sanitized)


def _reported(match: Match, recipe: Recipe, scope: Scope, fn) -> Match | None:
    """The match with only the origins this scope reports, or None when none is left: `fn` is the
    function whose parameters may count (the sink's, or the caller's for a call that reaches it).
    A match without any origin (a secret made with `random`) stands as it is."""
    if not match.value.origins:
        return match
    keep = []
    for o in match.value.origins_for(recipe.kind):
        category = o.source.category
        if category == "param":
            own = fn is not None and o.source.func == fn.full_name
            if scope.public_api and own and _public(fn) and (o.built or recipe.reports_pass_through):
                keep.append(o)
        elif category in scope.sources:
            keep.append(o)
    if not keep:
        return None
    return replace(match, value=replace(match.value, origins=frozenset(keep)))


def _pytest_fills(fn) -> bool:
    node = fn.node
    return node.name.startswith("test") or any(
        "fixture" in ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list)


def _public(fn) -> bool:
    """Part of a library's API: not nested, not private, not a test or a fixture (pytest fills their parameters)."""
    if fn.nested or "@" in fn.qualname or (is_test_file(fn.module.path) and _pytest_fills(fn)):
        return False
    return not any(part.startswith("_") and not part.startswith("__")
                   for part in (*fn.module.name.split("."), *fn.qualname.split(".")))


def _finding(recipe: Recipe, match: Match, index: ProjectIndex, seen: Counter[str], caller: CallSite | None = None) -> Finding:
    site = match.site
    node = site.node
    module = site.module
    rule = load_rule(recipe.rule_id)
    qualname = site.function.qualname if site.function else None
    key = f"{recipe.rule_id}|{module.path}|{qualname}|{_text_of(module.lines, node)}"
    if caller is not None:  # the same sink reached from several calls: one finding each
        key += f"|{caller.module.path}|{caller.function.qualname if caller.function else ''}|{_text_of(caller.module.lines, caller.node)}"
    seen[key] += 1
    fingerprint = hashlib.sha256(f"{key}|{seen[key]}".encode()).hexdigest()[:16]
    sink = FlowStep(kind="sink", path=module.path, line=node.lineno, description=_sink_text(site))
    location = Location(
        path=module.path,
        start_line=node.lineno,
        end_line=node.end_lineno or node.lineno,
        start_col=_char_col(module.lines, node.lineno, node.col_offset),
        end_col=_char_col(module.lines, node.end_lineno or node.lineno, node.end_col_offset or 0),
        qualname=qualname,
    )
    finding = Finding(
        id=fingerprint,
        rule_id=recipe.rule_id,
        cwe=rule.cwe,
        severity=rule.severity,
        confidence=_confidence(match),
        location=location,
        message=match.message,
        evidence=[*(FlowStep(**step._asdict()) for step in match.value.steps), sink],
        entry=entry_for(match, index),
        suppressed=suppression_for(recipe.rule_id, recipe.equivalent_ids, module.lines, node.lineno,
                                   node.end_lineno or node.lineno),
    )
    return finding


def _text_of(lines: list[str], node) -> str:
    return re.sub(r"\s+", " ", " ".join(lines[node.lineno - 1 : (node.end_lineno or node.lineno)])).strip()


def _char_col(lines: list[str], line: int, byte_col: int) -> int:
    """ast columns count UTF-8 bytes; reports and editors count characters."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _confidence(match: Match) -> str:
    """The recipe's confidence, lowered to that of the least certain source: request data is
    attacker-controlled for sure; a library's parameter only may be; the command line and the
    environment are usually the user's own."""
    ranks = [RANKS.index(CONFIDENCE[o.source.category]) for o in match.value.origins]
    return RANKS[min(RANKS.index(match.confidence), max(ranks, default=len(RANKS) - 1))]
