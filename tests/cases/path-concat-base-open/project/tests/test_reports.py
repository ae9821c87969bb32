from reports import views


def test_a_report_is_downloaded_by_name(tmp_path, monkeypatch):
    (tmp_path / "q3.csv").write_text("quarter,total\nq3,42\n", encoding="utf-8")
    monkeypatch.setattr(views, "REPORT_DIR", str(tmp_path) + "/")
    response = views.app.test_client().get("/reports/download", query_string={"file": "q3.csv"})
    assert response.get_json() == {"name": "q3.csv", "body": "quarter,total\nq3,42\n"}
