from storage.views import app


def test_the_size_of_a_folder_is_reported(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"x" * 32 * 1024)
    response = app.test_client().get("/usage", query_string={"folder": str(tmp_path)})
    assert response.get_json()["kilobytes"] >= 32
