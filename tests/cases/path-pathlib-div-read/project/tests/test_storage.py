import pytest

from uploads import storage


@pytest.fixture
def upload_dir(tmp_path, monkeypatch):
    directory = tmp_path / "uploads"
    directory.mkdir()
    (directory / "notes.txt").write_text("one\ntwo\nthree\nfour\n", encoding="utf-8")
    (directory / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    monkeypatch.setattr(storage, "UPLOAD_DIR", directory)
    return directory


def test_list_uploads(upload_dir):
    assert storage.list_uploads() == ["notes.txt", "todo.txt"]


def test_read_upload(upload_dir):
    assert storage.read_upload("todo.txt") == "buy milk\n"


def test_preview(upload_dir):
    assert storage.preview_upload("notes.txt", lines=2) == "one\ntwo"
