import pytest

from mediaserver import server


@pytest.fixture
def client(tmp_path, monkeypatch):
    media = tmp_path / "media"
    media.mkdir()
    (media / "song.txt").write_text("la la la", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    monkeypatch.setattr(server, "FILES_DIR", str(media))
    monkeypatch.setitem(server.app.config, "TESTING", True)
    return server.app.test_client()


def test_serves_file(client):
    response = client.get("/media", query_string={"name": "song.txt"})
    assert response.status_code == 200
    assert response.get_data() == b"la la la"
    response.close()


def test_missing_name(client):
    assert client.get("/media").status_code == 400


def test_traversal_is_404(client, tmp_path):
    assert client.get("/media", query_string={"name": "../secret.txt"}).status_code == 404
    assert client.get("/media", query_string={"name": str(tmp_path / "secret.txt")}).status_code == 404
