"""What the default scope reports, and what it must not: entry points, callers, folded branches,
containers, guards, and the precision bugs found on code nobody here wrote."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import Scope, detect
from provenfix.workspace import SourceFile

FLASK = "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n"


def found(src: str, scope: Scope = Scope(), **more: str) -> list[tuple[str, int]]:
    files = [SourceFile("app.py", textwrap.dedent(src))]
    files += [SourceFile(name.replace("__", "/") + ".py", textwrap.dedent(text)) for name, text in more.items()]
    return [(f.rule_id, f.location.start_line) for f in detect(files, scope=scope).findings]


def route(body: str) -> str:
    """A Flask route whose body is `body` (indented by the caller's dedent-friendly 4 spaces)."""
    return FLASK + "@app.post('/x')\ndef view():\n    x = request.args['x']\n" + textwrap.indent(textwrap.dedent(body), "    ")


def test_a_parameter_is_not_a_source_by_itself() -> None:
    assert found("import os\ndef ping(host):\n    os.system('ping ' + host)\n") == []


def test_library_mode_makes_public_parameters_sources() -> None:
    src = "import os\ndef ping(host):\n    os.system('ping ' + host)\ndef _private(host):\n    os.system('ping ' + host)\n"
    assert found(src, Scope(public_api=True)) == [("PF-CMD", 3)]


def test_a_sink_reached_through_a_helper_is_reported_once_per_tainted_call() -> None:
    src = FLASK + textwrap.dedent("""
        def run_cmd(cmd):
            return os.popen(cmd).read()

        @app.get('/a')
        def a():
            return run_cmd("ping " + request.args["h"])

        @app.get('/b')
        def b():
            return run_cmd("uptime")

        @app.get('/c')
        def c():
            return run_cmd(request.args["c"])
        """)
    files = [SourceFile("app.py", src)]
    got = detect(files).findings
    assert [(f.rule_id, f.location.start_line) for f in got] == [("PF-CMD", 6), ("PF-CMD", 6)]
    steps = [e.description for e in got[0].evidence]
    assert steps[0].startswith("request field") and "passed as `cmd` to `run_cmd()`" in steps
    assert steps[-1] == "reaches `os.popen()`"
    assert got[0].entry is not None and got[0].entry.tainted_param == "cmd"  # the proof calls the helper
    assert got[0].id != got[1].id


def test_reaches_climb_several_callers_and_modules() -> None:
    helpers = "import os\ndef run(cmd):\n    os.system(cmd)\ndef build(name):\n    run('echo ' + name)\n"
    src = FLASK + "from pkg.tools import build\n@app.get('/x')\ndef view():\n    build(request.args['n'])\n"
    assert found(src, pkg____init__="", pkg__tools=helpers) == [("PF-CMD", 3)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("num = 106\nbar = 'safe' if 7 * 18 + num > 200 else x\nos.system('echo ' + bar)\n", []),
        ("num = 86\nif 7 * 42 - num > 200:\n    bar = 'safe'\nelse:\n    bar = x\nos.system('echo ' + bar)\n", []),
        ("bar = 'This should never happen'\nif 'should' not in bar:\n    bar = x\nos.system('echo ' + bar)\n", []),
        ("bar = 'This should never happen'\nif 'should' in bar:\n    bar = x\nos.system('echo ' + bar)\n", [10]),
        ("guess = 'ABC'[1]\nmatch guess:\n    case 'A':\n        bar = x\n    case 'B':\n        bar = 'bob'\n"
         "    case _:\n        bar = x\nos.system('echo ' + bar)\n", []),
        ("lst = ['safe']\nlst.append(x)\nlst.append('more')\nlst.pop(0)\nos.system('echo ' + lst[1])\n", []),
        ("lst = ['safe']\nlst.append(x)\nlst.append('more')\nlst.pop(0)\nos.system('echo ' + lst[0])\n", [11]),
        ("m = {}\nm['a'] = 'v'\nm['b'] = x\nos.system('echo ' + m['a'])\n", []),
        ("m = {}\nm['a'] = 'v'\nm['b'] = x\nos.system('echo ' + m['b'])\n", [10]),
        ("import configparser\nc = configparser.ConfigParser()\nc.add_section('s')\nc.set('s', 'a', 'v')\n"
         "c.set('s', 'b', x)\nos.system('echo ' + c.get('s', 'a'))\n", []),
        ("import configparser\nc = configparser.ConfigParser()\nc.add_section('s')\nc.set('s', 'a', 'v')\n"
         "c.set('s', 'b', x)\nos.system('echo ' + c.get('s', 'b'))\n", [12]),
        ("copy = ''\ns = ''\ns += x\ncopy += 'ok'\nos.system('echo ' + copy)\n", []),
        ("a, b = 'ls', x\nos.system(a)\nos.system('echo ' + b)\n", [9]),
    ],
)
def test_values_the_code_makes_known_are_tracked_exactly(body: str, expected: list[int]) -> None:
    assert found(route(body)) == [("PF-CMD", line) for line in expected]


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        # Allow-lists, exact matches and character classes, when they dominate the sink.
        ("if x not in {'a', 'b'}:\n    return 'no'\nos.system('echo ' + x)\n", False),
        ("if x in ALLOWED:\n    os.system('echo ' + x)\n", False),
        ("if x in ALLOWED:\n    pass\nos.system('echo ' + x)\n", True),  # the check does not dominate
        ("import re\nif not re.fullmatch(r'[a-z]+', x):\n    raise ValueError(x)\nos.system('echo ' + x)\n", False),
        ("if not x.isdigit():\n    return 'no'\nos.system('echo ' + x)\n", False),
        ("if x.isdigit():\n    return 'no'\nos.system('echo ' + x)\n", True),  # the wrong branch
        ("import hashlib\nname = hashlib.sha256(x.encode()).hexdigest()\nos.system('echo ' + name)\n", False),
        ("os.system('echo ' + str(int(x)))\n", False),
    ],
)
def test_guards_count_only_where_they_hold(body: str, reported: bool) -> None:
    assert bool(found(route(body).replace("app = Flask", "ALLOWED = {'a'}\napp = Flask"))) is reported


@pytest.mark.parametrize(
    ("body", "reported"),
    [
        ("p = os.path.realpath(os.path.join(BASE, x))\nif not p.startswith(BASE + os.sep):\n    return 'no'\nreturn open(p).read()\n", False),
        ("p = os.path.join(BASE, x)\nif not os.path.realpath(p).startswith(BASE + '/'):\n    return 'no'\nreturn open(p).read()\n", False),
        # Not separator-aware: '/srv/files2/x' starts with '/srv/files'.
        ("p = os.path.realpath(os.path.join(BASE, x))\nif not p.startswith(BASE):\n    return 'no'\nreturn open(p).read()\n", True),
        # Not normalised: '/srv/files/../../etc/passwd' is relative to '/srv/files'.
        ("from pathlib import Path\np = Path(BASE) / x\nif not p.is_relative_to(BASE):\n    return 'no'\nreturn p.read_text()\n", True),
        ("from pathlib import Path\np = (Path(BASE) / x).resolve()\nif not p.is_relative_to(BASE):\n    return 'no'\nreturn p.read_text()\n", False),
        ("p = os.path.realpath(os.path.join(BASE, x))\nif os.path.commonpath([BASE, p]) != BASE:\n    return 'no'\nreturn open(p).read()\n", False),
        ("p = os.path.join(BASE, x)\nif os.path.commonprefix([BASE, p]) != BASE:\n    return 'no'\nreturn open(p).read()\n", True),
        # The check is made but its branch does not leave.
        ("p = os.path.realpath(os.path.join(BASE, x))\nif not p.startswith(BASE + os.sep):\n    print('outside')\nreturn open(p).read()\n", True),
        ("if '../' in x:\n    return 'no'\nreturn open(BASE + '/' + x).read()\n", False),
    ],
)
def test_containment_counts_after_normalisation_and_with_separators(body: str, reported: bool) -> None:
    src = route(body).replace("app = Flask", "BASE = '/srv/files'\napp = Flask")
    assert [r for r, _ in found(src)] == (["PF-PATH"] if reported else [])


def test_a_redefined_function_is_analysed_too() -> None:
    src = FLASK + "def f():\n    eval(request.args['a'])\ndef f():\n    return 1\n"
    assert found(src) == [("PF-CODE", 5)]


def test_getopt_pairs_keep_the_option_name_apart_from_its_value() -> None:
    src = (
        "import getopt, os, sys\n"
        "def main():\n"
        "    opts, rest = getopt.getopt(sys.argv[1:], 'f:')\n"
        "    for opt, arg in opts:\n"
        "        os.system('echo ' + opt)\n"
        "        os.system('echo ' + arg)\n"
    )
    assert found(src, Scope(frozenset({"web", "cli"}))) == [("PF-CMD", 6)]


def test_command_line_and_environment_are_opt_in_and_low_confidence() -> None:
    src = "import os, sys\ndef main():\n    os.system('ls ' + sys.argv[1])\n    os.system('ls ' + os.environ['D'])\n"
    assert found(src) == []
    files = [SourceFile("app.py", src)]
    got = detect(files, scope=Scope(frozenset({"web", "cli", "env"}))).findings
    assert [(f.location.start_line, f.confidence) for f in got] == [(3, "low"), (4, "low")]


def test_a_local_that_shadows_an_import_is_not_the_module() -> None:
    src = FLASK + "import yaml\nfrom ruamel.yaml import YAML\n@app.post('/y')\ndef y():\n    yaml = YAML(typ='rt')\n    return yaml.load(request.data)\n"
    assert found(src) == []


def test_a_module_level_object_that_shadows_an_import_is_not_the_module() -> None:
    src = FLASK + "import yaml\nfrom ruamel.yaml import YAML\nyaml = YAML(typ='rt')\n@app.post('/y')\ndef y():\n    return yaml.load(request.data)\n"
    assert found(src) == []


@pytest.mark.parametrize(("quoting", "reported"), [("connection.ops.quote_name(x)", False), ("x.strip()", True)])
def test_identifier_quoting_clears_taint_for_sql(quoting: str, reported: bool) -> None:
    body = f"from django.db import connection\nconnection.cursor().execute('SELECT * FROM ' + {quoting})\n"
    assert bool(found(route(body))) is reported


def test_a_projects_own_tests_are_not_callers_that_pass_input() -> None:
    lib = "import os\ndef prepare(directory):\n    os.system('mkdir -p ' + directory)\n"
    tests = "from pkg.tool import prepare\ndef test_prepare(tmp_path):\n    prepare(str(tmp_path))\n"
    files = [SourceFile("pkg/__init__.py", ""), SourceFile("pkg/tool.py", lib), SourceFile("tests/test_tool.py", tests)]
    assert [f.location.path for f in detect(files, scope=Scope(public_api=True)).findings] == ["pkg/tool.py"]


def test_the_result_does_not_depend_on_the_hash_seed() -> None:
    """Two paths from one parameter to one sink (passed through, and built into text): the reach a
    caller is judged by must not be whichever a set happened to yield first."""
    import os
    import subprocess
    import sys

    src = ("import os\ndef run(x, quick):\n    cmd = x if quick else 'ls ' + x\n    os.system(cmd)\n"
           "def outer(name):\n    run(name, False)\n")
    program = ("import sys\nfrom provenfix.detect import Scope, detect\nfrom provenfix.workspace import SourceFile\n"
               "found = detect([SourceFile('lib.py', sys.stdin.read())], scope=Scope(public_api=True)).findings\n"
               "print(sorted((f.id, f.evidence[0].description) for f in found))\n")
    runs = {subprocess.run([sys.executable, "-c", program], input=src, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(6)}
    assert len(runs) == 1
    assert "parameter `name` of `outer`" in runs.pop()  # the caller's own finding, through the built path
