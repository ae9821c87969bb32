"""XML external entities (CWE-611): untrusted XML parsed with external entities switched on.

`<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>` makes such a parser read a
file (or fetch a URL) and put it in the document. Python's parsers leave external entities off
by default; the bug is the code switching them on: `parser.setFeature(feature_external_ges,
True)` on an `xml.sax` parser, or `lxml.etree.XMLParser(resolve_entities=True)` or
`no_network=False`, then parsing input with it. The fix switches the option back off.
"""

from __future__ import annotations

import ast

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, bare_names, is_true, keyword_arg

# Parse functions taking a parser → the position of that parser.
PARSE_WITH_PARSER = {
    "xml.dom.minidom.parseString": 1, "xml.dom.minidom.parse": 1, "xml.dom.pulldom.parseString": 1,
    "xml.dom.pulldom.parse": 1, "lxml.etree.fromstring": 1, "lxml.etree.XML": 1, "lxml.etree.parse": 1,
    "lxml.etree.fromstringlist": 1,
}
SAX_PARSERS = frozenset({"xml.sax.make_parser", "xml.sax.expatreader.create_parser"})
EXTERNAL_FEATURES = frozenset({"xml.sax.handler.feature_external_ges", "xml.sax.handler.feature_external_pes"})
LXML_PARSERS = frozenset({"lxml.etree.XMLParser", "lxml.etree.XMLPullParser", "lxml.etree.ETCompatXMLParser"})
# lxml options that let an entity reach a file or the network: (keyword, unsafe value, safe value).
# "internal" (lxml 5's default) still expands the document's own entities: False would not.
LXML_OPTIONS = (("resolve_entities", True, '"internal"'), ("no_network", False, "True"))
SECRET = "PROVENFIX-XXE-SECRET"


class ExternalEntities(Recipe):
    rule_id = "PF-XXE"
    kind = "xxe"
    call_names = bare_names(frozenset(PARSE_WITH_PARSER)) | {"parse", "feed"}
    reports_pass_through = True  # the document is what a caller hands over, whole
    equivalent_ids = frozenset({*(f"B3{n}" for n in range(13, 20)), *(f"S3{n}" for n in range(13, 20))})

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        if site.name in PARSE_WITH_PARSER:
            position = PARSE_WITH_PARSER[site.name]
            parser = site.node.args[position] if len(site.node.args) > position else keyword_arg(site, "parser")
        elif isinstance(site.node.func, ast.Attribute) and site.node.func.attr in ("parse", "feed"):
            parser = site.node.func.value  # `parser.parse(source)` on a configured parser
        else:
            return None
        value = site.args[0] if site.args else None
        if not isinstance(parser, ast.Name) or value is None or not value.tainted(self.kind):
            return None
        switch = _entities_switched_on(parser.id, site)
        if switch is None:
            return None
        return Match(site, value, "XML from input is parsed with external entities on, which can read files or "
                                  "fetch URLs named in the document", switch[0], detail={"safe": switch[1]})

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.keywords import set_keywords, set_value  # LibCST loads only when a fix is made

        path = match.site.module.path
        span = span_of(match.target, texts[path])
        safe = match.detail["safe"]
        if isinstance(safe, dict):
            return {path: set_keywords(texts[path], span, safe)}
        return {path: set_value(texts[path], span, safe)}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        return ProofPlan(
            doc="It sends documents whose external entities name a named pipe it serves a secret through, and checks "
                "the parser never opened it and the secret never came back.",
            payloads=[
                '\'<!DOCTYPE r [<!ENTITY x SYSTEM "\' + entity.as_uri() + \'">]><r>&x;</r>\'',
                '\'<!DOCTYPE r [<!ENTITY % p SYSTEM "\' + dtd.as_uri() + \'"> %p;]><r>&x;</r>\'',
            ],
            # A read of the entity shows even when the code never prints what it parsed: the pipe's
            # writer opens only once a reader (the parser) has it open.
            setup=(
                "import os, threading, time\n"
                'entity = tmp_path / "entity"\n'
                "os.mkfifo(entity)\n"
                'dtd = tmp_path / "entities.dtd"\n'
                "dtd.write_text('<!ENTITY x SYSTEM \"' + entity.as_uri() + '\">')\n"
                "reads, stop = [], threading.Event()\n"
                "def _serve():\n"
                "    while not stop.is_set():\n"
                "        try:\n"
                "            fd = os.open(entity, os.O_WRONLY | os.O_NONBLOCK)\n"
                "        except OSError:\n"
                "            time.sleep(0.001)\n"
                "            continue\n"
                "        reads.append(1)\n"
                f"        os.write(fd, {SECRET.encode()!r})\n"
                "        os.close(fd)\n"
                "        time.sleep(0.2)  # the reader sees the end of the file before a writer opens again\n"
                "threading.Thread(target=_serve, daemon=True).start()"
            ),
            check=(
                "stop.set()\n"
                "def content(result):\n"
                "    for read in (\"get_data\", \"toxml\"):\n"
                "        if hasattr(result, read):\n"
                "            return str(getattr(result, read)())\n"
                "    return repr(result)\n"
                'assert not reads, "the parser opened a file an external entity named"\n'
                f"assert not any({SECRET!r} in content(r) for r in results), \"an external entity's file came back in the result\""
            ),
            benign=['"<order><item sku=\\"A-1\\">2</item></order>"'],
        )


def _entities_switched_on(name: str, site: CallSite) -> tuple[ast.AST, object] | None:
    """Where the code turns external entities on for the parser named `name` in the sink's function
    (the node the fix rewrites, and the safe value or keywords), or None when it never does."""
    scope = site.function.node if site.function is not None else site.module.tree
    resolve = site.module.resolve
    made = False
    for node in ast.walk(scope):
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == name and isinstance(node.value, ast.Call)):
            called = resolve(node.value.func)
            made = made or called in SAX_PARSERS
            if called in LXML_PARSERS:
                unsafe = {kw: safe for kw, bad, safe in LXML_OPTIONS
                          if isinstance(v := _keyword(node.value, kw), ast.Constant) and v.value is bad}
                if unsafe:
                    return node.value, unsafe
    if not made:
        return None
    for node in ast.walk(scope):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setFeature"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == name and len(node.args) == 2
                and resolve(node.args[0]) in EXTERNAL_FEATURES and is_true(node.args[1])):
            return node.args[1], "False"
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)
