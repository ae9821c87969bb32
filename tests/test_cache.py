"""An unchanged tree is answered from the cache; any change anywhere in the project is a miss."""

from __future__ import annotations

from pathlib import Path

from provenfix import api, cache

from tests._trees import pyproject


def _project(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text(pyproject("p"))
    (root / "pkg" / "cmds.py").write_text("def build(host):\n    return 'ping ' + host\n")
    (root / "pkg" / "run.py").write_text("import os\nfrom pkg.cmds import build\n\ndef check(host):\n    os.system(build(host))\n")
    (root / "pkg" / "broken.py").write_text("def f(:\n")
    return root


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_second_scan_is_served_from_the_cache_outside_the_project(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    before = _tree(root)
    first = api.scan([str(root)])
    entries = list((cache.cache_dir() / "scan").glob("*.json"))
    second = api.scan([str(root)])
    assert [f.id for f in first.findings] == [f.id for f in second.findings] and len(first.findings) == 1
    assert list((cache.cache_dir() / "scan").glob("*.json")) == entries  # a hit writes nothing new
    assert any("broken.py" in w and "syntax error" in w for w in second.warnings)
    assert _tree(root) == before


def test_a_change_in_another_module_invalidates(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    assert len(api.scan([str(root)]).findings) == 1
    (root / "pkg" / "cmds.py").write_text("def build(host):\n    return 'ping localhost'\n")
    assert api.scan([str(root)]).findings == []


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    api.scan([str(root)])
    for entry in (cache.cache_dir() / "scan").glob("*.json"):
        entry.write_text("{not json")
    assert len(api.scan([str(root)]).findings) == 1
