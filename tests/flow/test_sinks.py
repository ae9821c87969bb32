"""Sinks as data, read with their receivers: what each class reports beyond the classic shapes, and
what only looks like a sink. Every vulnerable snippet is a Flask view; `x` is request data."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import detect
from provenfix.workspace import SourceFile

HEAD = "import os, subprocess, asyncio, pickle, sqlite3, yaml\nfrom flask import Flask, request\napp = Flask(__name__)\n"


def rules(body: str, **more: str) -> list[str]:
    src = HEAD + "@app.post('/x')\ndef view():\n    x = request.args['x']\n" + textwrap.indent(textwrap.dedent(body), "    ")
    files = [SourceFile("app.py", src), *(SourceFile(p.replace("__", "/") + ".py", textwrap.dedent(t)) for p, t in more.items())]
    return [f.rule_id for f in detect(files).findings]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("conn = sqlite3.connect('db')\nconn.execute('SELECT ' + x)\n", ["PF-SQL"]),
        ("cur = sqlite3.connect('db').cursor()\ncur.execute('SELECT ' + x)\n", ["PF-SQL"]),
        ("from django.db import connection\nconnection.cursor().execute('SELECT ' + x)\n", ["PF-SQL"]),
        ("cursor.execute('SELECT ' + x)\n", ["PF-SQL"]),  # unknown type, a database handle's name
        ("import sqlalchemy\nsqlalchemy.text('SELECT ' + x)\n", ["PF-SQL"]),
        ("from myapp.models import User\nUser.objects.raw('SELECT ' + x)\n", ["PF-SQL"]),
        ("from myapp.models import User\nUser.objects.extra(where=['name = ' + x])\n", ["PF-SQL"]),
        # `.execute` of something that is not a database
        ("from django.core.management import call_command\nrunner = Runner()\nrunner.execute('SELECT ' + x)\n", []),
        ("job = make_job()\njob.execute('run ' + x)\n", []),
    ],
)
def test_sql_sinks_and_receivers(body: str, expected: list[str]) -> None:
    assert rules(body) == expected


def test_a_projects_own_execute_method_is_not_a_query() -> None:
    command = """
        class Command:
            def execute(self, *args):
                return args
            def handle(self, x):
                return self.execute('SELECT ' + x)
        """
    assert rules("from pkg.cmd import Command\nCommand().execute('SELECT ' + x)\n", pkg____init__="", pkg__cmd=command) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("subprocess.run(['sh', '-c', 'echo ' + x])\n", ["PF-CMD"]),
        ("args = []\nargs.append('sh')\nargs.append('-c')\nargs.append(f'echo {x}')\nsubprocess.run(args)\n", ["PF-CMD"]),
        ("subprocess.run([x, '--version'])\n", ["PF-CMD"]),  # input chooses the program
        ("subprocess.run(x)\n", ["PF-CMD"]),
        ("os.execvp(x, [x])\n", ["PF-CMD"]),
        ("asyncio.create_subprocess_shell('ls ' + x)\n", ["PF-CMD"]),
        ("subprocess.run(['ls', x])\n", []),  # an argument of a fixed program
        ("subprocess.run('ls ' + x)\n", []),  # no shell: the whole string names a program nobody has
        ("os.execv('/bin/ls', ['ls', x])\n", []),
    ],
)
def test_command_shapes_without_a_shell(body: str, expected: list[str]) -> None:
    assert rules(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("pickle.loads(x.encode())\n", ["PF-DESER"]),
        ("import base64\npickle.loads(base64.b64decode(x))\n", ["PF-DESER"]),
        ("import jsonpickle\njsonpickle.decode(x)\n", ["PF-DESER"]),
        ("import numpy\nnumpy.load(x, allow_pickle=True)\n", ["PF-DESER"]),
        ("import numpy\nnumpy.load(x)\n", []),
        ("import torch\ntorch.load(x, weights_only=True)\n", []),
        ("pickle.loads(b'constant')\n", []),
        ("yaml.load(x, Loader=yaml.Loader)\n", ["PF-YAML"]),
        ("yaml.load('a: 1', Loader=yaml.Loader)\n", []),  # the project's own document
    ],
)
def test_deserialization(body: str, expected: list[str]) -> None:
    assert rules(body) == expected


def test_a_loader_built_on_safe_constructor_is_safe() -> None:
    loader = """
        from yaml.constructor import SafeConstructor, FullConstructor
        from yaml.reader import Reader
        from yaml.resolver import Resolver
        class SafeOwn(Reader, SafeConstructor, Resolver):
            pass
        class Unsafe(Reader, FullConstructor, Resolver):
            pass
        """
    assert rules("from pkg.loaders import SafeOwn\nyaml.load(x, Loader=SafeOwn)\n", pkg____init__="", pkg__loaders=loader) == []
    assert rules("from pkg.loaders import Unsafe\nyaml.load(x, Loader=Unsafe)\n", pkg____init__="", pkg__loaders=loader) == ["PF-YAML"]


@pytest.mark.parametrize(
    "body", ["os.path.exists('/srv/files/' + x)\n", "from pathlib import Path\n(Path('/srv/files') / x).exists()\n",
             "import code\ncode.InteractiveConsole().push(x)\n"],
)
def test_existence_probes_and_interactive_consoles(body: str) -> None:
    assert len(rules(body)) == 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("import random\nsession_value = str(random.normalvariate())[2:]\nsession['remember'] = session_value\n", ["PF-RAND"]),
        ("import random\nvalue = str(random.getrandbits(32))\nmysession[x] = value\n", ["PF-RAND"]),
        ("import random\nresp.set_cookie('id', str(random.random()), secure=True)\n", ["PF-RAND"]),
        ("import random\nrng = random.Random()\ntoken = rng.randint(0, 10**6)\n", ["PF-RAND"]),
        ("import random\ntoken = random.SystemRandom().randint(0, 10**6)\n", []),
        ("import random\npassword = random.choice(['changeme'])\n", []),  # one constant: not randomness
        ("import random\ncolour = random.choice(['red', 'blue'])\n", []),  # not a secret
        ("import random\ndef _make_boundary():\n    token = random.randrange(2**63)\n    return '=' * 15 + str(token)\n",
         []),  # a MIME boundary must be unique, not secret (the stdlib's email.generator)
    ],
)
def test_weak_randomness_where_a_secret_is_made_or_stored(body: str, expected: list[str]) -> None:
    assert rules(body) == expected
