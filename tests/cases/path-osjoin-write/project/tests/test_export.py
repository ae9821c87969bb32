import os

import pytest

from reports import export


@pytest.fixture
def export_dir(tmp_path, monkeypatch):
    directory = tmp_path / "exports"
    monkeypatch.setattr(export, "EXPORT_DIR", str(directory))
    return directory


def test_render_csv():
    assert export.render_csv([{"a": 1, "b": 2}]) == "a,b\r\n1,2\r\n"


def test_export_report_writes_file(export_dir):
    path = export.export_report("q1.txt", "hello")
    assert os.path.samefile(path, export_dir / "q1.txt")
    assert (export_dir / "q1.txt").read_text(encoding="utf-8") == "hello"


def test_export_rows(export_dir):
    export.export_rows("sales.csv", [{"month": "jan", "total": 10}])
    assert (export_dir / "sales.csv").read_text(encoding="utf-8").splitlines() == ["month,total", "jan,10"]
