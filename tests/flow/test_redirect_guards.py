"""Open redirects: which checks of a target's host make a redirect safe, and which only look as if they do."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import detect
from provenfix.flow import guards
from provenfix.recipes import BY_RULE
from provenfix.workspace import SourceFile

HEAD = "import urllib.parse\nfrom urllib.parse import urlsplit\nfrom flask import Flask, redirect, request, url_for\napp = Flask(__name__)\n"


def redirects(body: str) -> list[int]:
    src = HEAD + "@app.get('/go')\ndef go():\n    target = request.args['next']\n" + textwrap.indent(textwrap.dedent(body), "    ")
    return [f.location.start_line for f in detect([SourceFile("app.py", src)]).findings if f.rule_id == "PF-REDIRECT"]


@pytest.mark.parametrize("body", [
    "return redirect(target)",
    "return redirect(location=target)",
    "if not target.startswith('/'):\n    return 'no'\nreturn redirect(target)",  # //host starts with a slash
    "if urlsplit(target).netloc == '':\n    return redirect(target)",  # /\\host has no netloc either
    "if urlsplit(target).netloc in ('', 'example.com'):\n    return redirect(target)",
    "u = urlsplit(target)\nu = urlsplit('/')\nif u.netloc != 'example.com':\n    return 'no'\nreturn redirect(target)",
    "u = urlsplit(target)\nif u.netloc == 'example.com' or u.scheme == 'https':\n    return redirect(target)",
    "return redirect(target + '_done')",  # built, but the input comes first: it still names the host
    "return redirect('/' + target)",  # target = '/evil.example' makes '//evil.example'
    "return redirect(f'https://{target}/welcome')",
    "if target or request.args.get('fallback'):\n    return redirect(target)",  # truthy is no check
])
def test_unchecked_or_badly_checked_targets_are_reported(body: str) -> None:
    assert redirects(body), body


@pytest.mark.parametrize("body", [
    "return redirect('/home')",
    "return redirect(url_for('search', q=target))",
    "if urlsplit(target).netloc != 'example.com':\n    return 'no'\nreturn redirect(target)",
    "u = urllib.parse.urlparse(target)\nif u.netloc not in ['example.com'] or u.scheme != 'https':\n    return 'no'\nreturn redirect(target)",
    "u = urlsplit(target)\nif u.hostname in ALLOWED_HOSTS:\n    return redirect(target)\nreturn 'no'",
    "return redirect(url_for('home') + '?next=' + target)",  # the code chose where it starts
    "return redirect('/search/' + target)",
    # Django's set_language: where the test fails, target is empty or checked.
    "from django.utils.http import url_has_allowed_host_and_scheme as ok\n"
    "if (target or request.args.get('html')) and not ok(url=target, allowed_hosts={'example.com'}):\n"
    "    target = '/'\nreturn redirect(target)",
    "from django.utils.http import url_has_allowed_host_and_scheme\n"
    "if url_has_allowed_host_and_scheme(target, allowed_hosts={'example.com'}):\n    return redirect(target)",
])
def test_targets_whose_host_the_code_chose_are_not(body: str) -> None:
    assert redirects(body) == [], body


def test_the_guard_speaks_of_the_url_classes() -> None:
    assert set(guards.URL_KINDS) == {BY_RULE["PF-REDIRECT"].kind, BY_RULE["PF-SSRF"].kind}
