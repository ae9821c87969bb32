"""Which files a scan covers, and what it reports from them."""

from __future__ import annotations

from pathlib import Path

from provenfix import api
from provenfix.workspace import open_workspace

from tests._trees import pyproject

SINK = "import os\nimport sys\n\n\ndef run(name):\n    os.system('ls ' + name)\n\n\nos.system('ls ' + sys.argv[1])\n"


def _project(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "pyproject.toml").write_text(pyproject("p"))
    (root / "pkg" / "tool.py").write_text(SINK)
    return root


def test_a_named_folder_inside_a_skipped_one_is_still_scanned(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    vendored = root / ".venv" / "lib" / "thing"
    vendored.mkdir(parents=True)
    (vendored / "mod.py").write_text(SINK)
    assert {f.location.path for f in api.scan([str(root)]).findings} == {"pkg/tool.py"}
    assert {f.location.path for f in api.scan([str(vendored)]).findings} == {".venv/lib/thing/mod.py"}


def test_tests_are_not_reported_unless_named(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "tests").mkdir()
    (root / "tests" / "test_tool.py").write_text(SINK)
    assert {f.location.path for f in api.scan([str(root)]).findings} == {"pkg/tool.py"}
    assert {f.location.path for f in api.scan([str(root / "tests" / "test_tool.py")]).findings} == {"tests/test_tool.py"}


def test_confidence_follows_the_source_and_the_config_chooses_the_sources(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "pkg" / "web.py").write_text("import os\nfrom flask import request\n\ndef view():\n    os.system('ls ' + request.args['d'])\n")
    def scan() -> dict:
        return {(f.location.path, f.location.start_line): f.confidence for f in api.scan([str(root)], use_cache=False).findings}
    # A library's public parameter may be input (medium); a request field is (high); argv is not a source by default.
    assert scan() == {("pkg/tool.py", 6): "medium", ("pkg/web.py", 5): "high"}
    (root / "pyproject.toml").write_text(pyproject("p") + 'sources = ["web", "cli"]\n')
    assert scan() == {("pkg/tool.py", 6): "medium", ("pkg/tool.py", 9): "low", ("pkg/web.py", 5): "high"}
    (root / "pyproject.toml").write_text('[project]\nname = "p"\n')  # an application: entry points only
    assert scan() == {("pkg/web.py", 5): "high"}
    assert {f.location.path for f in api.scan([str(root)], use_cache=False, entry="public-api").findings} == {"pkg/tool.py", "pkg/web.py"}


def test_a_pep_263_file_is_read_in_its_declared_encoding(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "pkg" / "legacy.py").write_bytes(("# -*- coding: latin-1 -*-\n# Café\n" + SINK).encode("latin-1"))
    (root / "pkg" / "bogus.py").write_bytes(b"# coding: no-such-codec\n" + SINK.encode())
    (root / "pkg" / "clash.py").write_bytes(b"\xef\xbb\xbf# coding: latin-1\n" + SINK.encode())
    report = api.scan([str(root)], use_cache=False)
    assert {f.location.path for f in report.findings} == {"pkg/tool.py", "pkg/legacy.py"}
    assert [w for w in report.warnings if "legacy.py" in w] == []
    assert any("bogus.py: skipped, bad encoding declaration (unknown encoding: no-such-codec)" in w for w in report.warnings)
    assert any("clash.py: skipped, bad encoding declaration" in w for w in report.warnings)
    (legacy,) = [f for f in open_workspace([str(root)]).files() if f.path == "pkg/legacy.py"]
    assert "# Café" in legacy.text
