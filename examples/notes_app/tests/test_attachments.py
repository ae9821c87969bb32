import io

from notesapp import attachments


def test_save_and_read_attachment(app):
    name = attachments.save_attachment("minutes 2024-05.txt", b"agenda")
    assert name == "minutes_2024-05.txt"
    assert attachments.read_attachment(name) == b"agenda"
    assert attachments.list_attachments() == [name]


def test_list_attachments_when_none(app):
    assert attachments.list_attachments() == []


def test_upload_and_download(client, auth):
    auth.signup()
    resp = client.post(
        "/attachments",
        data={"file": (io.BytesIO(b"%PDF-1.4 fake"), "plan.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201
    assert client.get("/attachments").get_json() == ["plan.pdf"]
    resp = client.get("/attachments/plan.pdf")
    assert resp.status_code == 200
    assert resp.data == b"%PDF-1.4 fake"
    assert resp.mimetype == "application/pdf"


def test_download_missing_attachment(client, auth):
    auth.signup()
    assert client.get("/attachments/nope.txt").status_code == 404


def test_upload_without_file(client, auth):
    auth.signup()
    assert client.post("/attachments", data={}).status_code == 400
