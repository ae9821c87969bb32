"""What the web classes report in a view, and the look-alikes they must not: a page assembled from
input (XSS), request data stored in the session (trust boundary)."""

from __future__ import annotations

import textwrap

import pytest

from provenfix import api
from provenfix.detect import detect
from provenfix.model import Status
from provenfix.workspace import SourceFile

HEAD = ("import os, subprocess\nfrom flask import Flask, jsonify, request, session, send_file\n"
        "from markupsafe import Markup, escape\napp = Flask(__name__)\n")


def rules(body: str, extra: str = "") -> list[str]:
    src = HEAD + extra + "@app.route('/v')\ndef view():\n    q = request.args['q']\n" + textwrap.indent(textwrap.dedent(body), "    ")
    return sorted(f.rule_id for f in detect([SourceFile("app.py", src)]).findings)


@pytest.mark.parametrize("body", [
    "return f'<p>{q}</p>'",
    "page = '<h1>Hi</h1>'\npage += '<p>' + q + '</p>'\nreturn page",
    "return '<b>%s</b>' % q, 200",
    "return '<li>{}</li>'.format(q)",
    "return Markup(q)",
])
def test_input_assembled_into_a_page_is_xss(body: str) -> None:
    assert rules(body) == ["PF-XSS"]


@pytest.mark.parametrize("body", [
    "return {'q': q}",
    "return jsonify(q=q)",
    "return f'<p>{escape(q)}</p>'",
    "return q.upper()",  # a page is text the view assembles
    "return send_file(os.path.basename(q))",
    "return '<pre>' + subprocess.check_output(['ls', os.path.basename(q)], text=True) + '</pre>'",
    "return '<p>' + str(len(q)) + '</p>'",
])
def test_json_encoded_and_non_text_returns_are_not(body: str) -> None:
    assert rules(body) == []


def test_the_fix_escapes_where_input_enters_not_the_whole_page(tmp_path) -> None:
    (tmp_path / "app.py").write_text(HEAD + "@app.route('/v')\ndef view():\n    q = request.args['q']\n"
                                     "    return '<h1>' + q + '</h1>'\n")
    (fix,) = api.fix([str(tmp_path)], jobs=1).fixes
    assert fix.status is Status.VERIFIED, fix.reason
    (edit,) = fix.candidate.edits
    assert "    return '<h1>' + escape_html(str(q)) + '</h1>'\n" in edit.after
    assert "from html import escape as escape_html\n" in edit.after


@pytest.mark.parametrize(("body", "reported"), [
    ("session['role'] = q\nreturn 'ok'", True),
    ("session[q] = 'on'\nreturn 'ok'", True),
    ("session.update(request.get_json())\nreturn 'ok'", True),
    ("session['role'] = 'viewer'\nreturn 'ok'", False),
    ("if q not in ('a', 'b'):\n    return 'no'\nsession['role'] = q\nreturn 'ok'", False),
    ("session['user'] = lookup(q)\nreturn 'ok'", False),  # the application's own record
])
def test_session_stores_of_request_data(body: str, reported: bool) -> None:
    extra = "import sqlite3\ndef lookup(name):\n    return sqlite3.connect('x').execute('SELECT id FROM u WHERE n = ?', (name,)).fetchone()\n"
    assert (rules(body, extra) == ["PF-TRUST"]) is reported


def test_a_fastapi_route_returning_text_sends_json_not_html() -> None:
    src = ("from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\napp = FastAPI()\n"
           "@app.get('/a')\ndef a(q: str):\n    return f'<p>{q}</p>'\n"
           "@app.get('/b')\ndef b(q: str):\n    return HTMLResponse(f'<p>{q}</p>')\n")
    assert [(f.rule_id, f.location.start_line) for f in detect([SourceFile("api.py", src)]).findings] == [("PF-XSS", 9)]
