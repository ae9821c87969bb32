"""Regular expression built from input (CWE-1333, of the CWE-400 family).

`re.search(q, title)` with a search term of `.*` matches every title, and a term such as
`(a+)+$` makes the engine backtrack for an exponential time on the text it is tried against: a
single request occupies a worker for minutes (ReDoS). Detects the `re` module's functions
(`compile`, `search`, `match`, `fullmatch`, `findall`, `finditer`, `split`, `sub`, `subn`)
whose pattern carries input. Where the code means the input literally (a term, a name, a
prefix), the fix escapes it where it enters the pattern (`re.escape`). Where the input is meant
to be a regular expression (its name says so: `pattern`, `regex`), escaping would break the
feature: the finding is reported unfixed, the remedy being bounded matching.

In library mode a parameter passed to the pattern unchanged is reported only when its name says
it is literal text (`term`, `prefix`, `separator`): a library function taking a `pattern` is
taking a regular expression by design.
"""

from __future__ import annotations

import ast
import re

from provenfix.codemods.base import Unfixable, span_of
from provenfix.flow.index import ModuleInfo, ProjectIndex
from provenfix.flow.taint import Analysis, CallSite, Value
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument, bare_names, by_module, word_set

FUNCTIONS = ("compile", "search", "match", "fullmatch", "findall", "finditer", "split", "sub", "subn")
SINKS = frozenset(f"re.{name}" for name in FUNCTIONS)
ESCAPERS = frozenset({"re.escape", "fnmatch.translate"})  # fnmatch's patterns are globs: `*` and `?` only
# Words of a name saying its text is a regular expression on purpose.
REGEX_WORDS = frozenset({"pattern", "patterns", "regex", "regexp", "regexes", "regexps", "re", "rx", "expr", "expression"})
# Words of a name saying its text is meant literally: what a parameter passed unchanged must be named
# for library mode to report it.
LITERAL_WORDS = frozenset({"term", "terms", "query", "q", "search", "keyword", "keywords", "word", "words", "needle",
                           "name", "username", "prefix", "suffix", "tag", "tags", "title", "phrase", "substring",
                           "separator", "sep", "delimiter", "delim", "label", "email", "text"})
PAYLOADS = ("(provenfix|probe)+", "provenfix.*probe")


# The text a module-level `re` function matches the pattern against: its position and keyword.
SUBJECTS = {"search": (1, "string"), "match": (1, "string"), "fullmatch": (1, "string"), "findall": (1, "string"),
            "finditer": (1, "string"), "split": (1, "string"), "sub": (2, "string"), "subn": (2, "string")}


class RegexInjection(Recipe):
    rule_id = "PF-REGEX"
    kind = "regex"
    call_names = bare_names(SINKS)
    sanitizers = ESCAPERS
    escapes_at_splice = True

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name not in SINKS or (given := argument(site, 0, "pattern")) is None:
            return None
        node, value = given
        if isinstance(node, ast.Constant):
            return _catastrophic(site, node, self.kind)
        if not value.tainted(self.kind) or _joins_escaped(node, site.module):
            return None
        names = _names(node, value, site)
        if names & REGEX_WORDS:
            what = sorted(names & REGEX_WORDS)[0]
            return Match(site, _own_params_passed(value, site),
                         "input is run as a regular expression: a crafted one (`(a+)+$`) backtracks for an exponential "
                         "time on the text it is matched against", node, confidence="medium",
                         detail={"unfixable": f"the input is meant to be a regular expression (it is named `{what}`), "
                                              "so escaping it would break the feature; bound the matching instead: a "
                                              "linear-time engine (google-re2), the `regex` module's timeout=, or a "
                                              "fixed set of filters to choose from"})
        targets = _targets(_joined_at(node, site), value, site.module)
        value = _literal_params_reported(value, site)
        how = "input is used as a regular expression" if targets == [(node, False)] else \
            "a regular expression is built from input"
        return Match(site, value, f"{how}: its metacharacters (`.*`, `|`, `+`) change what it matches, and a crafted "
                                  "one backtracks for an exponential time (ReDoS)",
                     targets[0][0] if targets else node, detail={"targets": targets})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.regex_escape import escape_in_pattern  # LibCST loads only when a fix is made

        targets = match.detail["targets"]
        if not targets:
            raise Unfixable("the pattern is built from input in a way ProvenFix cannot follow to where the input "
                            "enters it; escape the input with re.escape() there")
        each = {id(node) for node, many in targets if many}
        return {path: escape_in_pattern(texts[path], [(span_of(n, texts[path]), id(n) in each) for n in nodes])
                for path, nodes in by_module([n for n, _ in targets], index, match.site.module).items()}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It sends regular-expression syntax (a group, an alternation, a wildcard), records every pattern "
                "the `re` module compiles, and checks none holds the input as syntax rather than as escaped text.",
            payloads=[repr(p) for p in PAYLOADS],
            setup=(
                "import re\n"
                "compiled = []\n"
                "real_compile = re._compile\n"
                "def recording_compile(pattern, *args, **kwargs):\n"
                "    made = real_compile(pattern, *args, **kwargs)\n"
                "    text = made.pattern\n"
                "    compiled.append(text.decode(\"latin-1\") if isinstance(text, bytes) else str(text))\n"
                "    return made\n"
                "monkeypatch.setattr(re, \"_compile\", recording_compile)"
            ),
            check=(
                "assert compiled, \"no regular expression was compiled\"\n"
                f"raw = [t for t in compiled if any(p in t.lower() for p in {list(PAYLOADS)!r})]\n"
                "assert not raw, f\"input became regular-expression syntax: {raw}\""
            ),
            # Letters and digits only: `re.escape` leaves them as they are, so a fix changes nothing for them.
            benign=['"alice"', '"Report2023"', '"smith"'],
        )


def _names(node: ast.expr, value: Value, site: CallSite) -> set[str]:
    """The words of what names the input at the sink: the pattern's variable, the variables spliced
    into it, the parameters and request keys it came from."""
    names: list[str] = []
    for part in (node, *value.splices):
        if isinstance(part, ast.Name):
            names.append(part.id)
        elif isinstance(part, ast.Attribute):
            names.append(part.attr)
    for o in value.origins_for("regex"):
        if o.source.kind == "param" and site.function is not None and o.source.func == site.function.full_name:
            names.append(o.source.name)
        elif o.source.kind == "request" and o.source.key:
            names.append(o.source.key)
    return set().union(*map(word_set, names)) if names else set()


def _literal_params_reported(value: Value, site: CallSite) -> Value:
    """A parameter of the sink's own function passed to the pattern unchanged is reported in library
    mode (as input built into the pattern is) when its name says it is literal text; others only
    when a caller passes it input."""
    from dataclasses import replace

    fn = site.function
    origins = frozenset(
        replace(o, built=True) if (o.source.kind == "param" and not o.built and fn is not None
                                   and o.source.func == fn.full_name and word_set(o.source.name) & LITERAL_WORDS) else o
        for o in value.origins)
    return replace(value, origins=origins) if origins != value.origins else value


def _own_params_passed(value: Value, site: CallSite) -> Value:
    """A regular expression by design: a parameter of the sink's own function is then reported only
    when a caller passes it input, not in library mode, even when it is part of a larger pattern
    (`"^%s%s" % (re.escape(prefix), pattern)`): a library taking a pattern takes it on purpose."""
    from dataclasses import replace

    fn = site.function
    origins = frozenset(replace(o, built=False) if (o.source.kind == "param" and fn is not None
                                                    and o.source.func == fn.full_name) else o
                        for o in value.origins)
    return replace(value, origins=origins) if origins != value.origins else value


def _joined_at(node: ast.expr, site: CallSite) -> ast.expr:
    """The join a local name holds, when the function assigns it once: `wanted = "|".join(tags)`."""
    if not isinstance(node, ast.Name) or site.function is None:
        return node
    stores = [n for n in ast.walk(site.function.node) if isinstance(n, ast.Name) and n.id == node.id
              and isinstance(n.ctx, ast.Store)]
    assigns = [a for a in ast.walk(site.function.node) if isinstance(a, ast.Assign) and len(a.targets) == 1
               and isinstance(a.targets[0], ast.Name) and a.targets[0].id == node.id]
    if len(stores) == 1 and len(assigns) == 1 and _is_join(assigns[0].value):
        return assigns[0].value
    return node


def _is_join(node: ast.expr) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join"
            and len(node.args) == 1 and not node.keywords and isinstance(node.func.value, ast.Constant))


def _targets(node: ast.expr, value: Value, module: ModuleInfo) -> list[tuple[ast.expr, bool]]:
    """Where to escape the input: where it is spliced into the pattern's text, or the pattern itself
    when it is the input as it came; (node, True) for an iterable of terms joined into it."""
    spliced = [n for n in value.splices if not _escaped(n, module)]
    if spliced:
        return [(n, False) for n in spliced]
    if value.splices:  # escaped where it entered already, by another class's encoder too: nothing to rewrite
        return []
    if _is_join(node):
        return [(node.args[0], True)]  # type: ignore[attr-defined]  # `"|".join(words)`: each word escaped
    if not any(o.built for o in value.origins_for("regex")):
        return [(node, False)]  # the input is the whole pattern
    return []


def _joins_escaped(node: ast.expr, module: ModuleInfo) -> bool:
    """`"|".join(map(re.escape, words))`: each part escaped (or a glob translated) before it is joined."""
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join"
            and len(node.args) == 1 and isinstance(mapped := node.args[0], ast.Call)
            and module.resolve(mapped.func) == "builtins.map" and len(mapped.args) == 2
            and module.resolve(mapped.args[0]) in ESCAPERS)


def _escaped(node: ast.expr, module: ModuleInfo) -> bool:
    return isinstance(node, ast.Call) and module.resolve(node.func) in ESCAPERS


def _catastrophic(site: CallSite, pattern: ast.Constant, kind: str) -> Match | None:
    """A constant pattern with a quantified group that itself repeats without bound (`([a-z]+)*`),
    matched against input: a near-miss input backtracks for an exponential time. Reported unfixed: a
    rule cannot tell which bounded pattern means the same, only the maintainer can."""
    function = (site.name or "").rpartition(".")[2]
    if function not in SUBJECTS or not isinstance(pattern.value, str) or (
            subject := argument(site, *SUBJECTS[function])) is None or not subject[1].tainted(kind):
        return None
    try:
        parsed = re._parser.parse(pattern.value)  # the standard library's own reading of the pattern
    except (re.error, RecursionError, AttributeError):
        return None
    if not _nested_repeat(list(parsed), inside=False):
        return None
    return Match(site, subject[1], f"input is matched against `{pattern.value}`, whose repeated group repeats "
                 "itself: a crafted near-miss backtracks for an exponential time (ReDoS)", pattern, confidence="medium",
                 detail={"unfixable": "the pattern nests one unbounded repetition in another, and which bounded pattern "
                                      "means the same is the maintainer's call: rewrite it without the nesting "
                                      "(`[a-z]+` for `([a-z]+)*`), cap the input's length first, or match with a "
                                      "linear-time engine (google-re2) or the `regex` module's timeout="})


def _nested_repeat(items: list, inside: bool) -> bool:
    """Whether an unbounded repetition holds another (`(a+)+`, `(\\w+\\s?)*`), in `re`'s parsed form."""
    from re import _constants as c

    for op, av in items:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            low, high, body = av
            unbounded = high == c.MAXREPEAT
            if unbounded and inside:
                return True
            if _nested_repeat(list(body), inside or unbounded):
                return True
        elif op == c.SUBPATTERN:
            if _nested_repeat(list(av[-1]), inside):
                return True
        elif op == c.BRANCH:
            if any(_nested_repeat(list(branch), inside) for branch in av[1]):
                return True
    return False
