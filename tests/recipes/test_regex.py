"""PF-REGEX: which patterns made from input are reported, how, and what is left alone."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import Scope, detect
from provenfix.workspace import SourceFile

FLASK = "import re\nfrom flask import Flask, request\napp = Flask(__name__)\n"
LIBRARY = Scope(public_api=True)


def regex_findings(src: str, scope: Scope = Scope()):
    found = detect([SourceFile("app.py", textwrap.dedent(src))], scope=scope)
    return [d for d in found.items if d.finding.rule_id == "PF-REGEX"]


def route(body: str) -> str:
    return FLASK + "@app.get('/x')\ndef view():\n" + textwrap.indent(textwrap.dedent(body), "    ")


def test_a_search_term_from_the_request_is_a_fixable_finding() -> None:
    [d] = regex_findings(route("q = request.args['q']\nreturn str(re.findall(q, 'text'))\n"))
    assert "unfixable" not in d.match.detail and d.finding.confidence == "high"
    assert d.finding.message.startswith("input is used as a regular expression")


def test_input_named_as_a_pattern_is_reported_unfixed_with_the_remedy() -> None:
    [d] = regex_findings(route("pattern = request.args['pattern']\nreturn str(re.compile(pattern).groups)\n"))
    assert "named `pattern`" in d.match.detail["unfixable"] and "re2" in d.match.detail["unfixable"]
    [d] = regex_findings(route("return str(re.search(request.args['regex'], 'text'))\n"))
    assert "unfixable" in d.match.detail


def test_escaped_input_and_constant_patterns_are_not_reported() -> None:
    assert regex_findings(route("q = request.args['q']\nreturn str(re.search(re.escape(q), 'text'))\n")) == []
    assert regex_findings(route("return str(re.search(r'\\d+', request.args['q']))\n")) == []
    assert regex_findings(route("return re.sub(r'\\s+', ' ', request.args['q'])\n")) == []
    assert regex_findings(route("ws = request.args.getlist('w')\nreturn str(re.compile('|'.join(map(re.escape, ws))))\n")) == []
    assert regex_findings(route("ws = request.args.getlist('w')\nreturn str(re.compile('|'.join(re.escape(w) for w in ws)))\n")) == []


def test_a_guarded_term_is_not_reported() -> None:
    body = "q = request.args['q']\nif not re.fullmatch(r'[a-z]+', q):\n    return 'no'\nreturn str(re.search(q, 'text'))\n"
    assert regex_findings(route(body)) == []


def test_library_mode_reports_literal_text_but_not_a_pattern_taken_on_purpose() -> None:
    assert regex_findings("import re\ndef grep(lines, pattern):\n    return [l for l in lines if re.search(pattern, l)]\n",
                          LIBRARY) == []
    assert regex_findings("import re\ndef grep(lines, expr):\n    return re.compile('^%s%s' % (re.escape('/'), expr))\n",
                          LIBRARY) == []
    assert regex_findings("import re\ndef parse(line, s):\n    return re.split(s, line)\n", LIBRARY) == []
    [d] = regex_findings("import re\ndef parse(line, separator):\n    return re.split(separator, line)\n", LIBRARY)
    assert d.finding.confidence == "medium"
    [d] = regex_findings("import re\ndef starts(names, x):\n    return [n for n in names if re.match('^' + x, n)]\n", LIBRARY)


def test_a_pattern_parameter_is_still_reported_when_a_route_passes_it_input() -> None:
    src = FLASK + textwrap.dedent("""
        def grep(lines, pattern):
            return [l for l in lines if re.search(pattern, l)]

        @app.get('/logs')
        def logs():
            return str(grep(['a'], request.args['p']))
        """)
    [d] = regex_findings(src)
    assert "unfixable" in d.match.detail


def test_terms_joined_into_an_alternation_are_escaped_one_by_one() -> None:
    src = route("tags = request.args.getlist('tag')\nwanted = '|'.join(tags)\nreturn str(re.compile(wanted))\n")
    [d] = regex_findings(src)
    [(node, each)] = d.match.detail["targets"]
    assert each and node.id == "tags"
    assert d.finding.message.startswith("a regular expression is built from input")


def test_a_nested_repetition_matched_against_input_is_reported_unfixed() -> None:
    [d] = regex_findings(route("e = request.args['e']\nreturn str(bool(re.match(r'^([a-z0-9]+[._-]?)*@x\\.com$', e)))\n"))
    assert "nests one unbounded repetition in another" in d.match.detail["unfixable"]
    assert d.finding.message.startswith("input is matched against")


@pytest.mark.parametrize("body", [
    "e = request.args['e']\nreturn str(bool(re.match(r'^[a-z0-9._-]+@x\\.com$', e)))\n",  # no nesting
    "e = request.args['e']\nreturn str(bool(re.match(r'^(ab)+(a{1,3})+$', e)))\n",  # bounded or literal groups
    "return str(bool(re.match(r'^(a+)+$', 'aaaa')))\n",  # nested, but against text the code chose
])
def test_patterns_that_cannot_backtrack_far_or_text_the_code_chose_are_not(body: str) -> None:
    assert regex_findings(route(body)) == []
