import pytest

from fileserver import server


@pytest.fixture
def client(tmp_path, monkeypatch):
    files = tmp_path / "files"
    files.mkdir()
    (files / "handbook.txt").write_text("Welcome aboard!", encoding="utf-8")
    (files / "menu.txt").write_text("Soup", encoding="utf-8")
    monkeypatch.setattr(server, "FILES_DIR", str(files))
    monkeypatch.setitem(server.app.config, "TESTING", True)
    return server.app.test_client()


def test_index(client):
    assert client.get("/files").get_json() == ["handbook.txt", "menu.txt"]


def test_download(client):
    response = client.get("/download", query_string={"name": "handbook.txt"})
    assert response.status_code == 200
    assert response.get_data() == b"Welcome aboard!"
    response.close()


def test_download_requires_name(client):
    assert client.get("/download").status_code == 400
