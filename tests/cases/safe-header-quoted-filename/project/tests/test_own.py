from fastapi.testclient import TestClient

from reports.api import app


def test_export_names_the_download():
    response = TestClient(app).get("/export", params={"filename": "janvier été.csv"})
    assert response.headers["content-disposition"] == "attachment; filename*=UTF-8''janvier%20%C3%A9t%C3%A9.csv"
    assert response.json()["rows"][1] == {"month": "2024-02", "total": 95}


def test_a_line_break_stays_encoded():
    response = TestClient(app).get("/export", params={"filename": "x\r\nSet-Cookie: session=attacker"})
    assert "set-cookie" not in response.headers
    assert response.headers["content-disposition"] == (
        "attachment; filename*=UTF-8''x%0D%0ASet-Cookie%3A%20session%3Dattacker")
