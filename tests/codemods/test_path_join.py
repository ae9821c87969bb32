from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from provenfix.codemods.path_join import fix_path

from .harness import assert_unfixable, load, run_and_assert, span_at

SAFE_JOIN = '''\


def _safe_join(base: "str | os.PathLike[str]", *parts: "str | os.PathLike[str]") -> str:
    """Join ``parts`` onto ``base``; refuse any result outside ``base`` (``..``, absolute parts, symlinks)."""
    root = os.path.realpath(base)
    path = os.path.realpath(os.path.join(root, *parts))
    if os.path.commonpath([root, path]) != root:
        raise ValueError(f"path escapes {base!r}: {path!r}")
    return path
'''


def safe_path(path: str) -> str:
    return (
        SAFE_JOIN.replace("_safe_join", "_safe_path")
        .replace("-> str:", f"-> {path}:")
        .replace("    return path\n", f"    return {path}(path)\n")
    )


def test_os_path_join_and_helper_is_inserted_once_for_two_fixes() -> None:
    source = """\
        \"\"\"Downloads.\"\"\"
        import os

        UPLOADS = "/srv/uploads"


        def read(name, sub):
            with open(os.path.join(UPLOADS, name)) as f:  # the file
                return f.read(), open(os.path.join(UPLOADS, sub, name)).read()
        """
    once = run_and_assert(
        fix_path,
        source,
        '"""Downloads."""\nimport os\n'
        + SAFE_JOIN
        + textwrap.dedent(
            """\


            UPLOADS = "/srv/uploads"


            def read(name, sub):
                with open(_safe_join(UPLOADS, name)) as f:  # the file
                    return f.read(), open(os.path.join(UPLOADS, sub, name)).read()
            """
        ),
        at="os.path.join(UPLOADS, name)",
    )
    twice = run_and_assert(
        fix_path,
        once,
        once.replace("os.path.join(UPLOADS, sub, name)", "_safe_join(UPLOADS, sub, name)"),
        at="os.path.join(UPLOADS, sub, name)",
    )
    assert twice.count("def _safe_join") == 1


@pytest.mark.parametrize(
    ("imports", "call"),
    [("from os.path import join", "join(BASE, *parts)"), ("import os.path as osp", "osp.join(BASE, *parts)")],
)
def test_join_aliases(imports: str, call: str) -> None:
    run_and_assert(
        fix_path,
        f"{imports}\n\nBASE = '/srv'\n\ndef f(parts):\n    return {call}\n",
        f"{imports}\nimport os\n"
        + SAFE_JOIN
        + "\n\nBASE = '/srv'\n\ndef f(parts):\n    return _safe_join(BASE, *parts)\n",
        at=call,
    )


def test_pathlib_division_uses_existing_path_import() -> None:
    run_and_assert(
        fix_path,
        'from pathlib import Path\n\nROOT = Path("/srv")\n\ndef f(name):\n    return (ROOT / "static" / name).read_bytes()\n',
        "from pathlib import Path\nimport os\n"
        + safe_path("Path")
        + '\n\nROOT = Path("/srv")\n\ndef f(name):\n    return _safe_path(ROOT, "static", name).read_bytes()\n',
        at='ROOT / "static" / name',
    )


def test_path_constructor_from_import() -> None:
    run_and_assert(
        fix_path,
        "from pathlib import Path\n\ndef f(name):\n    return Path('/srv', name).open()\n",
        "from pathlib import Path\nimport os\n"
        + safe_path("Path")
        + "\n\ndef f(name):\n    return _safe_path('/srv', name).open()\n",
        at="Path('/srv', name)",
    )


def test_pathlib_constructor_adds_pathlib_import() -> None:
    run_and_assert(
        fix_path,
        "import pathlib\n\ndef f(base, name):\n    return pathlib.Path(base, name)\n",
        "import pathlib\nimport os\n"
        + safe_path("pathlib.Path")
        + "\n\ndef f(base, name):\n    return _safe_path(base, name)\n",
        at="pathlib.Path(base, name)",
    )


@pytest.mark.parametrize(
    ("expr", "fixed"),
    [
        ('BASE + "/" + name', "_safe_join(BASE, name)"),
        ('BASE + "/thumbs/img_" + name + ".png"', '_safe_join(BASE, "thumbs", f"img_{name}.png")'),
        ('"/var/data/" + name', '_safe_join("/var/data", name)'),
        ('f"{BASE}/{name}"', "_safe_join(BASE, str(name))"),
    ],
)
def test_string_concatenation(expr: str, fixed: str) -> None:
    run_and_assert(
        fix_path,
        f"BASE = '/srv'\n\ndef f(name):\n    return open({expr})\n",
        "import os\n" + SAFE_JOIN + f"\n\nBASE = '/srv'\n\ndef f(name):\n    return open({fixed})\n",
        at=expr,
    )


def test_concatenation_onto_a_constant_that_ends_with_a_separator() -> None:
    run_and_assert(
        fix_path,
        "BASE = '/srv/files/'\n\ndef f(name):\n    return open(BASE + name)\n",
        "import os\n" + SAFE_JOIN + "\n\nBASE = '/srv/files/'\n\ndef f(name):\n    return open(_safe_join(BASE, name))\n",
        at="BASE + name",
    )


def test_non_ascii_on_the_line() -> None:
    out = run_and_assert(
        fix_path,
        "import os\ndef f(n): return 'café', os.path.join('/srv', n)\n",
        "import os\n" + SAFE_JOIN + "\n\ndef f(n): return 'café', _safe_join('/srv', n)\n",
        at="os.path.join('/srv', n)",
    )
    assert "café" in out


def test_refusals() -> None:
    assert_unfixable(fix_path, "import os\nos.path.join(p)\n", at="os.path.join(p)", match="no base")
    assert_unfixable(fix_path, "x = 'data_' + name\n", at="'data_' + name", match="no base directory")
    assert_unfixable(fix_path, "x = BASE + name\n", at="BASE + name", match="not a path built")
    assert_unfixable(fix_path, "x = BASE + '-' + name\n", at="BASE + '-' + name", match="not followed by a '/'")
    clash = "import os\ndef _safe_join(a, b):\n    return a\nx = os.path.join(B, n)\n"
    assert_unfixable(fix_path, clash, at="os.path.join(B, n)", match="already defines a different _safe_join")


VULNERABLE = textwrap.dedent(
    """\
    import os
    from pathlib import Path

    def read(base, name):
        with open(os.path.join(base, name)) as f:
            return f.read()

    def read_path(base, name):
        return (Path(base) / name).read_text()
    """
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    base = tmp_path / "public"
    (base / "docs").mkdir(parents=True)
    (base / "docs" / "a.txt").write_text("public")
    (tmp_path / "secret.txt").write_text("secret")
    (base / "link").symlink_to(tmp_path / "secret.txt")
    return base


@pytest.mark.parametrize(("function", "at"), [("read", "os.path.join(base, name)"), ("read_path", "Path(base) / name")])
def test_fixed_join_confines_reads_to_the_base(tree: Path, function: str, at: str) -> None:
    outside = ["../secret.txt", str(tree.parent / "secret.txt"), "link"]
    original = load(VULNERABLE, function)
    assert all(original(str(tree), name) == "secret" for name in outside)  # really traversable

    fixed = load(fix_path(VULNERABLE, span_at(VULNERABLE, at)), function)
    assert fixed(str(tree), "docs/a.txt") == "public"
    assert fixed(str(tree), "docs/../docs/a.txt") == "public"
    for name in outside:
        with pytest.raises(ValueError, match="path escapes"):
            fixed(str(tree), name)
    assert os.path.exists(tree / "docs" / "a.txt")


@pytest.mark.parametrize(("function", "at"), [("read", "os.path.join(base, name)"), ("read_path", "Path(base) / name")])
@pytest.mark.parametrize("trailing", ["", "/"])
def test_fixed_join_refuses_a_sibling_whose_name_starts_with_the_base(tmp_path: Path, function: str, at: str,
                                                                       trailing: str) -> None:
    # "/x/public_evil" starts with the string "/x/public": a startswith() guard would let it through.
    base, evil = tmp_path / "public", tmp_path / "public_evil"
    base.mkdir()
    evil.mkdir()
    (base / "a.txt").write_text("public")
    (evil / "secret.txt").write_text("evil")
    (base / "sideways").symlink_to(evil)
    names = ["../public_evil/secret.txt", str(evil / "secret.txt"), "sideways/secret.txt"]
    original = load(VULNERABLE, function)
    assert all(original(str(base) + trailing, name) == "evil" for name in names)

    fixed = load(fix_path(VULNERABLE, span_at(VULNERABLE, at)), function)
    assert fixed(str(base) + trailing, "a.txt") == "public"
    for name in names:
        with pytest.raises(ValueError, match="path escapes"):
            fixed(str(base) + trailing, name)
