from docsite.app import app
from docsite.storage import read_document


def test_the_manual_index_is_served():
    response = app.test_client().get("/manual")
    assert response.get_json() == {"text": "Welcome to the manual.\n"}


def test_documents_are_read_from_the_folder_given(tmp_path):
    (tmp_path / "notes.txt").write_text("notes", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.txt").write_text("deep", encoding="utf-8")
    assert read_document("notes.txt", str(tmp_path)) == "notes"
    assert read_document("sub/deep.txt", str(tmp_path)) == "deep"
