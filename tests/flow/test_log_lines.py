"""Log injection: which logging calls write input as it came, and which cannot break a line."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import detect
from provenfix.workspace import SourceFile

HEAD = ("import logging\nfrom flask import Flask, current_app, request\napp = Flask(__name__)\n"
        "log = logging.getLogger(__name__)\n")


def logged(body: str) -> list[str]:
    src = HEAD + "@app.post('/login')\ndef login():\n    user = request.form['user']\n" + textwrap.indent(textwrap.dedent(body), "    ")
    return [f.rule_id for f in detect([SourceFile("app.py", src)]).findings]


@pytest.mark.parametrize("body", [
    "log.warning('login failed for %s', user)",
    "log.info(f'login failed for {user}')",
    "logging.error('user: ' + user)",
    "logging.log(logging.INFO, 'u=%s', user)",
    "app.logger.info('login {}'.format(user))",
    "current_app.logger.warning(user)",
    "log.info('%d tries by %s', 3, user)",
])
def test_input_written_as_it_came_is_reported(body: str) -> None:
    assert logged(body) == ["PF-LOG"], body


@pytest.mark.parametrize("body", [
    "log.info('login failed for %r', user)",  # repr escapes line breaks
    "log.info(f'login failed for {user!r}')",
    "log.info('login id %d', int(user))",
    "log.info('user %s', user.replace('\\n', ' '))",
    "log.info('user %s', json.dumps(user))",
    "log.info('user logged in')",
    "print('login failed for %s' % user)",  # not a log
])
def test_input_that_cannot_break_a_line_is_not(body: str) -> None:
    assert logged("import json\n" + body) == [], body
