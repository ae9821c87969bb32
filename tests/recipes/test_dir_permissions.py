"""PF-PERM for folders: which `os.makedirs` / `os.mkdir` / `Path.mkdir` calls are reported, and what the fix does and refuses."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.codemods.base import Unfixable
from provenfix.detect import detect
from provenfix.recipes import BY_RULE
from provenfix.workspace import SourceFile

HEAD = "import os\nimport stat\nimport tempfile\nfrom pathlib import Path\n"


def _found(body: str, path: str = "app/store.py"):
    detection = detect([SourceFile(path, HEAD + textwrap.dedent(body))])
    return [d for d in detection.items if d.finding.rule_id == "PF-PERM"], detection


def _fixed(body: str) -> str:
    (item,), detection = _found(body)
    new = BY_RULE["PF-PERM"].rewrite(item.match, {"app/store.py": HEAD + textwrap.dedent(body)}, detection.index)
    return new["app/store.py"][len(HEAD):]


@pytest.mark.parametrize("body", [
    "def f(key_dir):\n    os.makedirs(key_dir, exist_ok=True)\n",
    "def f(home):\n    os.mkdir(os.path.join(home, '.ssh'), 0o755)\n",
    "def f(root):\n    Path(root, 'secrets').mkdir(mode=0o777, parents=True, exist_ok=True)\n",
    "class Store:\n    def save(self):\n        self.credentials_dir.mkdir(parents=True, exist_ok=True)\n",
    "def f(root, user):\n    folder = Path(root) / 'private' / user\n    folder.mkdir(exist_ok=True)\n",
    "TOKEN_DIR = '/var/lib/app/t'\ndef f():\n    os.makedirs(TOKEN_DIR)\n",
    "def f(base):\n    os.makedirs(os.path.join(base, 'keys'), 0o711)\n",  # others can still open a key they can name
])
def test_folders_for_secrets_others_may_enter_are_reported(body: str) -> None:
    found, _ = _found(body)
    assert len(found) == 1, body
    assert found[0].finding.confidence == "medium"


@pytest.mark.parametrize("body", [
    "def f(root):\n    os.makedirs(os.path.join(root, 'static'), mode=0o755, exist_ok=True)\n",  # public
    "def f(root):\n    os.makedirs(os.path.join(root, 'cache'), 0o777, exist_ok=True)\n",  # the default, spelled out
    "def f(root):\n    os.mkdir(os.path.join(root, 'uploads'), 0o777)\n",  # ditto: the umask applies
    "def f(root):\n    Path(root, 'spool').mkdir(mode=0o1777)\n",  # sticky, shared on purpose
    "def f(root):\n    os.makedirs(os.path.join(root, 'keys'), 0o750, exist_ok=True)\n",  # group access chosen
    "def f(root):\n    os.makedirs(os.path.join(root, 'keys'), mode=0o700, exist_ok=True)\n",
    "def f():\n    tmp = tempfile.mkdtemp()\n    os.mkdir(os.path.join(tmp, 'keys'))\n",  # inside a 0o700 folder
    "def f():\n    with tempfile.TemporaryDirectory() as tmp:\n        os.mkdir(os.path.join(tmp, 'secrets'))\n",
    "def f(root):\n    old = os.umask(0o077)\n    os.makedirs(os.path.join(root, 'keys'))\n    os.umask(old)\n",
    "def f(root):\n    Path(root, 'public_keys').mkdir(parents=True, exist_ok=True)\n",
    "def f(root, objects):\n    for key in objects:\n        os.makedirs(os.path.join(root, key), exist_ok=True)\n",
    "def f(root, s3_key):\n    os.makedirs(os.path.join(root, s3_key), exist_ok=True)\n",
    "def f(sftp):\n    sftp.mkdir('keys', 0o755)\n",  # a remote folder, not a pathlib one
    "def f(zf):\n    zf.mkdir('secrets/', mode=0o755)\n",  # a zip file's entry
    "def f(key_path):\n    os.makedirs(os.path.dirname(key_path), exist_ok=True)\n",  # the file's own finding judges it
])
def test_usual_folders_are_not_reported(body: str) -> None:
    found, _ = _found(body)
    assert found == [], body


def test_loop_keys_are_not_secret_files() -> None:
    body = "def f(root, objects):\n    for key, body in objects.items():\n        open(os.path.join(root, key), 'w').write(body)\n"
    assert _found(body)[0] == []
    assert len(_found("def f(key_file):\n    open(key_file, 'w').close()\n")[0]) == 1


@pytest.mark.parametrize("body, expected", [
    ("def f(key_dir):\n    os.makedirs(key_dir, exist_ok=True)\n",
     "    os.makedirs(key_dir, exist_ok=True, mode=0o700)\n    os.chmod(key_dir, 0o700)\n"),
    ("def f(home):\n    if not os.path.isdir(home):\n        os.mkdir(os.path.join(home, '.ssh'), 0o755)\n",
     "        os.mkdir(os.path.join(home, '.ssh'), 0o700)\n"),
    ("def f(root):\n    Path(root, 'secrets').mkdir(0o777, True, True)\n",
     "    Path(root, 'secrets').mkdir(0o700, True, True)\n    Path(root, 'secrets').chmod(0o700)\n"),
    ("def f(root):\n    os.makedirs(os.path.join(root, 'keys'), exist_ok=False)\n",
     "    os.makedirs(os.path.join(root, 'keys'), exist_ok=False, mode=0o700)\n"),
])
def test_the_fix_makes_the_folder_owner_only(body: str, expected: str) -> None:
    new = _fixed(body)
    assert expected in new, new
    assert _found(new)[0] == []  # the re-scan is clean


def test_the_fix_imports_os_for_the_chmod() -> None:
    source = "from os import makedirs\n\n\ndef f(key_dir):\n    makedirs(key_dir, exist_ok=True)\n"
    detection = detect([SourceFile("app/store.py", source)])
    (item,) = [d for d in detection.items if d.finding.rule_id == "PF-PERM"]
    new = BY_RULE["PF-PERM"].rewrite(item.match, {"app/store.py": source}, detection.index)["app/store.py"]
    assert "    makedirs(key_dir, exist_ok=True, mode=0o700)\n    os.chmod(key_dir, 0o700)\n" in new
    assert new.startswith("import os\n") or "\nimport os\n" in new, new


@pytest.mark.parametrize("body", [
    "def f(key_dir):\n    return os.makedirs(key_dir, exist_ok=True) or key_dir\n",  # no statement of its own
    "def f(pick_root):\n    os.makedirs(os.path.join(pick_root(), 'keys'), exist_ok=True)\n",  # made again, it may differ
])
def test_the_fix_refuses_what_a_chmod_cannot_follow(body: str) -> None:
    with pytest.raises(Unfixable):
        _fixed(body)


def test_the_proof_watches_the_reported_call_only() -> None:
    body = "@staticmethod\ndef f(key_dir):\n    os.makedirs('public', exist_ok=True)\n    os.makedirs(\n        key_dir, exist_ok=True)\n"
    (item,), _ = _found(body)
    plan = BY_RULE["PF-PERM"].proof(item.finding, item.match)
    assert "_SITE = ('store.py', 'f', 3, 5)" in plan.setup  # lines 3-4 of the call, from the decorator's line
    assert plan.observe == "type"
