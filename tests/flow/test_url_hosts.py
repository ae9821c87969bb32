"""Where input lands in a URL decides whether it names the server a request goes to (SSRF): the
analysis records the text before the input in a built string (`Value.lead`), through `+`, `%`,
`format`, f-strings, `join` and `+=`."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import detect
from provenfix.workspace import SourceFile

HEAD = ("import httpx\nimport requests\nimport urllib.request\nfrom flask import Flask, request\n"
        "app = Flask(__name__)\nAPI = 'https://api.example.com'\nsession = requests.Session()\n")


def fetches(body: str) -> list[str]:
    src = HEAD + "@app.get('/f')\ndef f():\n    u = request.args['u']\n" + textwrap.indent(textwrap.dedent(body), "    ")
    return [f.rule_id for f in detect([SourceFile("app.py", src)]).findings if f.rule_id == "PF-SSRF"]


@pytest.mark.parametrize("body", [
    "requests.get(u)",
    "requests.get(url=u, timeout=3)",
    "requests.request('GET', u)",
    "httpx.get(f'http://{u}/status')",
    "requests.get('http://%s:%d/health' % (u, 8000))",
    "requests.get('https://{}/x'.format(u))",
    "requests.get('/'.join(['http:', '', u, 'x']))",
    "v = 'http://'\nv += u\nrequests.get(v)",
    "requests.get(u + '?ping=1')",
    "urllib.request.urlopen(u)",
    "urllib.request.Request(u)",
    "session.post(u, json={})",  # a module-level Session
    "with httpx.Client() as c:\n    c.get(u)",
])
def test_input_that_names_the_host_is_reported(body: str) -> None:
    assert fetches(body) == ["PF-SSRF"], body


@pytest.mark.parametrize("body", [
    "requests.get(f'{API}/users/{u}')",
    "requests.get(API + '/search/' + u)",
    "requests.get('https://api.example.com/search', params={'q': u})",
    "requests.get(f'https://api.example.com/{u}')",
    "urllib.request.urlopen(urllib.request.Request(API))",
    "from urllib.parse import urlsplit\nif urlsplit(u).hostname in {'api.example.com'}:\n    requests.get(u)",
    "requests.get(API)",
])
def test_input_after_a_host_the_code_chose_is_not(body: str) -> None:
    assert fetches(body) == [], body


def test_a_database_row_looked_up_by_input_is_not_input() -> None:
    src = textwrap.dedent("""\
        from django.http import HttpResponse
        from shop.models import Item
        def view(request):
            item = Item.objects.get(pk=request.GET["id"])
            request.session["name"] = item.name
            request.session["asked"] = request.GET["id"]
            return HttpResponse("ok")
        """)
    findings = detect([SourceFile("shop/views.py", src)]).findings
    assert [(f.rule_id, f.location.start_line) for f in findings] == [("PF-TRUST", 6)]
