import io

import pytest

from docvault.app import app


@pytest.fixture()
def client(tmp_path):
    app.config.update(TESTING=True, PRIVATE_DOCS=str(tmp_path / "docs"))
    return app.test_client()


def test_upload_then_list(client):
    headers = {"X-Remote-User": "alice"}
    assert client.get("/documents", headers=headers).get_json() == {"documents": []}
    sent = client.post("/documents", headers=headers,
                       data={"document": (io.BytesIO(b"%PDF-1.4"), "payslip.pdf")})
    assert sent.status_code == 200 and sent.get_json() == {"documents": ["payslip.pdf"]}


def test_users_see_only_their_documents(client):
    client.post("/documents", headers={"X-Remote-User": "alice"},
                data={"document": (io.BytesIO(b"a"), "a.txt")})
    assert client.get("/documents", headers={"X-Remote-User": "bob"}).get_json() == {"documents": []}


def test_a_post_without_a_document_is_refused(client):
    assert client.post("/documents", headers={"X-Remote-User": "alice"}).status_code == 400
