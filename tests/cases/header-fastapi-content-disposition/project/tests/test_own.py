from fastapi.testclient import TestClient

from reports.api import app


def test_export_names_the_download():
    response = TestClient(app).get("/export", params={"filename": "january.csv"})
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="january.csv"'
    assert response.json()["rows"][0] == {"month": "2024-01", "total": 120}


def test_export_has_a_default_name():
    response = TestClient(app).get("/export")
    assert response.headers["content-disposition"] == 'attachment; filename="report.csv"'
