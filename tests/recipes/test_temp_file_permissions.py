"""PF-TEMP and PF-PERM: which temporary files and modes are reported, and what the fixes do and refuse."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.codemods.base import Unfixable
from provenfix.detect import detect
from provenfix.recipes import BY_RULE
from provenfix.workspace import SourceFile

HEAD = "import os\nimport stat\nimport tempfile\nfrom pathlib import Path\n"


def _found(body: str, rule: str, path: str = "app/files.py"):
    detection = detect([SourceFile(path, HEAD + textwrap.dedent(body))])
    return [d for d in detection.items if d.finding.rule_id == rule], detection


@pytest.mark.parametrize("body", [
    "def f(rows):\n    p = tempfile.mktemp()\n    open(p, 'w').write(rows)\n",
    "def f(name):\n    with open(f'/tmp/report_{name}.csv', 'w') as fh:\n        fh.write('x')\n",
    "def f(name):\n    open('/tmp/' + name + '.txt', 'wb').close()\n",
    "def f(key):\n    p = os.path.join('/tmp', key)\n    with open(p, 'a') as fh:\n        fh.write('x')\n",
    "def f():\n    (Path('/tmp') / 'build.log').write_text('x')\n",
    "def f():\n    p = Path('/var/tmp/cache.json')\n    with p.open('w') as fh:\n        fh.write('x')\n",
])
def test_temp_names_another_user_can_claim_are_reported(body: str) -> None:
    found, _ = _found(body, "PF-TEMP")
    assert len(found) == 1, body


@pytest.mark.parametrize("body", [
    "def f():\n    return open('/tmp/hint.txt').read()\n",  # a read
    "def f():\n    open('/tmp/app.lock', 'x').close()\n",  # "x" never follows an existing name
    "def f():\n    fd, p = tempfile.mkstemp()\n    open(p, 'w').close()\n",
    "def f():\n    open(os.path.join(tempfile.gettempdir(), 'x'), 'r').close()\n",
    "def f(base):\n    open(os.path.join(base, 'tmp', 'x.txt'), 'w').close()\n",  # a project folder
    "def f():\n    open('tmp/out.txt', 'w').close()\n",  # relative: not /tmp
])
def test_safe_temporary_files_are_not_reported(body: str) -> None:
    found, _ = _found(body, "PF-TEMP")
    assert found == [], body


def test_temp_fix_wraps_the_name_and_refuses_appending() -> None:
    recipe = BY_RULE["PF-TEMP"]
    body = "def f(name):\n    p = f'/tmp/r_{name}.csv'\n    with open(p, 'w') as fh:\n        fh.write('x')\n    return p\n"
    (item,), detection = _found(body, "PF-TEMP")
    texts = {"app/files.py": HEAD + textwrap.dedent(body)}
    new = recipe.rewrite(item.match, texts, detection.index)["app/files.py"]
    assert "p = _unique_temp_path(f'/tmp/r_{name}.csv')" in new and "tempfile.mkstemp(" in new
    assert recipe.proof(item.finding, item.match).observe == "type"  # the name it returns is new on every call
    body = "def f():\n    with open('/tmp/app.log', 'a') as fh:\n        fh.write('x')\n"
    (item,), detection = _found(body, "PF-TEMP")
    with pytest.raises(Unfixable):
        recipe.rewrite(item.match, {"app/files.py": HEAD + textwrap.dedent(body)}, detection.index)


@pytest.mark.parametrize("body", [
    "def f(p):\n    os.chmod(p, 0o777)\n",
    "def f(p):\n    os.chmod(p, stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)\n",
    "def f(d):\n    Path(d, 'id_rsa').chmod(0o644)\n",
    "def f():\n    os.umask(0)\n    open('out.txt', 'w').close()\n",
    "def f(key_path, pem):\n    with open(key_path, 'wb') as fh:\n        fh.write(pem)\n",
    "def f(d):\n    fd = os.open(os.path.join(d, 'token.json'), os.O_WRONLY | os.O_CREAT)\n    os.close(fd)\n",
])
def test_loose_modes_are_reported(body: str) -> None:
    found, _ = _found(body, "PF-PERM")
    assert len(found) == 1, body


@pytest.mark.parametrize("body", [
    "def f(script):\n    os.chmod(script, 0o755)\n",  # an executable
    "def f(d):\n    os.chmod(os.path.join(d, 'report.csv'), 0o644)\n",  # plain data
    "def f(d):\n    os.chmod(os.path.join(d, 'id_rsa'), 0o600)\n",
    "def f(d):\n    open(os.path.join(d, 'id_rsa.pub'), 'w').close()\n",  # a public key
    "def f(d):\n    open(os.path.join(d, 'cache_key.txt'), 'w').close()\n",
    "def f(d, name, data):\n    keyfile = ''\n    if name:\n        keyfile = '%s/%s.gpg' % (d, name)\n    with open(keyfile, 'wb') as f:\n"
    "        f.write(data)\n",  # an apt signing key: public, and apt must read it (ansible's apt_repository)
    "def f():\n    mask = os.umask(0)\n    os.umask(mask)\n    return mask\n",  # reads the umask
    "def f():\n    os.umask(0o077)\n",
    "def f(d):\n    fd = os.open(os.path.join(d, 'token.json'), os.O_WRONLY | os.O_CREAT, 0o600)\n    os.close(fd)\n",
])
def test_usual_modes_are_not_reported(body: str) -> None:
    found, _ = _found(body, "PF-PERM")
    assert found == [], body


def test_perm_fixes_keep_the_owner_bits() -> None:
    recipe = BY_RULE["PF-PERM"]
    for body, expected in [
        ("def f(p):\n    os.chmod(p, 0o777)\n", "os.chmod(p, 0o755)"),
        ("def f(d):\n    Path(d, 'id_rsa').chmod(0o644)\n", "Path(d, 'id_rsa').chmod(0o600)"),
        ("def f():\n    os.umask(0)\n", "os.umask(0o022)"),
        ("def f(token_file):\n    open(token_file, 'w').close()\n", "open(token_file, 'w', opener=_owner_only)"),
    ]:
        (item,), detection = _found(body, "PF-PERM")
        new = recipe.rewrite(item.match, {"app/files.py": HEAD + textwrap.dedent(body)}, detection.index)["app/files.py"]
        assert expected in new, new
