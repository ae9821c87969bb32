"""Detection through the real taint engine: each propagation shape and each source, in a few lines of code.

Propagation is shown on library code (`LIBRARY`: public functions' parameters are input), where a
parameter is the simplest source; `tests/flow/test_precision.py` covers what the default scope
reports."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import Scope, detect
from provenfix.workspace import SourceFile

LIBRARY = Scope(public_api=True)


def findings(scope: Scope = LIBRARY, **modules: str):
    files = [SourceFile(name.replace("__", "/") + ".py", textwrap.dedent(src)) for name, src in modules.items()]
    return detect(files, scope=scope).findings


def rules(scope: Scope = LIBRARY, **modules: str) -> list[str]:
    return [f.rule_id for f in findings(scope, **modules)]


@pytest.mark.parametrize(
    "body",
    [
        'os.system("ping -c 1 " + host)',
        'os.system(f"ping -c 1 {host}")',
        'os.system("ping -c 1 %s" % host)',
        'os.system("ping -c 1 %s %s" % (host, "x"))',
        'os.system("ping -c 1 {}".format(host))',
        'os.system(" ".join(["ping", host]))',
        'cmd = "ping "\n    cmd += host\n    os.system(cmd)',
        'a, b = host, 1\n    os.system("ping " + a)',
        'parts = {"h": host}\n    os.system("ping " + parts["h"])',
        'os.system("ping " + host[1:])',
        'os.system("ping " + host.strip().lower())',
        'for h in [host]:\n        os.system("ping " + h)',
        'with open(host) as fh:\n        os.system("cat " + fh.read())',
    ],
)
def test_propagation_shapes_reach_the_sink(body: str) -> None:
    src = f"import os\n\ndef probe(host):\n    {body}\n"
    assert rules(m=src) == ["PF-CMD"]


@pytest.mark.parametrize(
    "src",
    [
        "from subprocess import run as sh\ndef f(x):\n    sh('ls ' + x, shell=True)\n",
        "import subprocess as sp\ndef f(x):\n    sp.check_output(f'ls {x}', shell=True)\n",
        "from os import system\ndef f(x):\n    system('ls ' + x)\n",
        "import os\nclass C:\n    def m(self, x):\n        os.system('ls ' + x)\n",
        "import os\nasync def f(x):\n    os.system('ls ' + x)\n",
        "import os\nclass C:\n    @staticmethod\n    def m(x):\n        os.system('ls ' + x)\n",
    ],
)
def test_aliases_methods_async_and_nested_functions(src: str) -> None:
    assert rules(m=src) == ["PF-CMD"]


def test_helper_return_is_followed_across_modules() -> None:
    got = findings(
        pkg__cmds="def build(host):\n    return 'ping -c 1 ' + host\n",
        pkg__run="import os\nfrom pkg.cmds import build\n\ndef check(host):\n    os.system(build(host))\n",
    )
    assert [f.rule_id for f in got] == ["PF-CMD"]
    assert got[0].location.path == "pkg/run.py"
    assert any("build" in step.description for step in got[0].evidence)


def test_relative_import_and_method_helper() -> None:
    got = findings(
        pkg____init__="",
        pkg__q="def user_query(name):\n    return \"SELECT * FROM u WHERE n = '\" + name + \"'\"\n",
        pkg__repo=(
            "from .q import user_query\n\nclass Repo:\n    def _q(self, n):\n        return user_query(n)\n"
            "    def find(self, conn, n):\n        return conn.execute(self._q(n)).fetchall()\n"
        ),
    )
    assert [(f.rule_id, f.location.qualname) for f in got] == [("PF-SQL", "Repo.find")]


@pytest.mark.parametrize(
    ("src", "field"),
    [
        ("from flask import Flask, request\napp = Flask(__name__)\n@app.get('/x')\ndef v():\n    return eval(request.args['q'])\n", "args:q"),
        ("from flask import Flask, request\napp = Flask(__name__)\n@app.post('/x')\ndef v():\n    return eval(request.form.get('q'))\n", "form:q"),
        ("from flask import Flask, request\napp = Flask(__name__)\n@app.route('/x', methods=['POST'])\ndef v():\n    return eval(request.get_json()['q'])\n", "json:q"),
    ],
)
def test_flask_request_sources_make_route_entry_points(src: str, field: str) -> None:
    (f,) = findings(app=src)
    assert f.rule_id == "PF-CODE"
    assert f.entry is not None and f.entry.kind == "route" and f.entry.request_field == field
    assert f.entry.app_object == "app"


@pytest.mark.parametrize(
    "src",
    [
        "import sys, os\nos.system('ls ' + sys.argv[1])\n",
        "import os\nos.system('ls ' + input())\n",
        "import os\nos.system('ls ' + os.environ['X'])\n",
        "import os\nos.system('ls ' + os.getenv('X'))\n",
        "import os\ndef view(request):\n    os.system('ls ' + request.GET['f'])\n",
    ],
)
def test_other_sources(src: str) -> None:
    assert rules(Scope(frozenset({"web", "cli", "env"}), public_api=True), m=src) == ["PF-CMD"]


@pytest.mark.parametrize(
    "src",
    [
        "import os\ndef f(x):\n    os.system('ls ' + str(int(x)))\n",
        "import os, shlex\ndef f(x):\n    os.system('ls ' + shlex.quote(x))\n",
        "import os\ndef f(cmd):\n    os.system(cmd)\n",  # a wrapper's contract, not an injection
        "import subprocess\ndef f(x):\n    subprocess.run(['ls', x])\n",
        "import subprocess\ndef f(x):\n    subprocess.run('ls ' + x, shell=False)\n",
        "def f(conn, x):\n    conn.execute('SELECT * FROM t WHERE a = ?', (x,))\n",
        "import yaml\ndef f(t):\n    return yaml.load(t, Loader=yaml.SafeLoader)\n",
        "import random\ndef pick_colour():\n    return random.choice(['red', 'blue'])\n",
    ],
)
def test_sanitised_or_safe_code_is_not_reported(src: str) -> None:
    assert rules(m=src) == []


def test_fingerprints_are_stable_when_unrelated_lines_move() -> None:
    src = "import os\n\ndef f(x):\n    os.system('ls ' + x)\n"
    (a,) = findings(m=src)
    (b,) = findings(m="# a new comment\n\n" + src)
    assert a.id == b.id and a.location.start_line + 2 == b.location.start_line


def test_suppressions_are_recorded() -> None:
    src = (
        "import os\n\ndef f(x):\n    os.system('ls ' + x)  # nosec B605\n"
        "def g(x):\n    os.system('ls ' + x)  # provenfix: ignore[PF-CMD] vetted input\n"
        "def h(x):\n    os.system('ls ' + x)  # nosec B101\n"
    )
    got = findings(m=src)
    assert [f.suppressed is not None for f in got] == [True, True, False]


def test_character_columns_on_non_ascii_lines() -> None:
    (f,) = findings(m="import os\ndef f(x):\n    é = 'ü'; os.system('ls ' + x)\n")
    assert f.location.start_col == len("    é = 'ü'; ")


@pytest.mark.parametrize(("driver", "style"), [("sqlite3", "qmark"), ("psycopg", "format"), ("pymysql", "format")])
def test_sql_paramstyle_follows_the_driver(driver: str, style: str) -> None:
    src = f"import {driver}\n\ndef find(conn, name):\n    return conn.execute(\"SELECT * FROM u WHERE n = '\" + name + \"'\")\n"
    (item,) = detect([SourceFile("m.py", src)], scope=LIBRARY).items
    assert item.finding.rule_id == "PF-SQL" and item.match.detail["paramstyle"] == style
