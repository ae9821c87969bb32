from fastapi.testclient import TestClient

from api.main import app


def test_the_size_of_a_folder_is_reported(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"x" * 32 * 1024)
    response = TestClient(app).post("/usage", json={"folder": str(tmp_path), "depth": 2})
    assert response.status_code == 200 and int(response.json()["kilobytes"]) >= 32
    assert response.json()["depth"] == 2
