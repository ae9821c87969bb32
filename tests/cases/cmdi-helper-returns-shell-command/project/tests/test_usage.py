from diskusage.app import app


def test_usage_of_a_folder_is_reported(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "blob.bin").write_bytes(b"x" * 64 * 1024)
    response = app.test_client().get("/usage", query_string={"folder": str(tmp_path / "data")})
    assert response.status_code == 200 and response.get_json()["kilobytes"] >= 64
