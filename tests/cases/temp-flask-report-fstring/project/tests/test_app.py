from timesheets.app import app


def test_report_lists_the_team_hours():
    client = app.test_client()
    response = client.get("/teams/1/report.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == "member,hours\nada,38\ngrace,41\n"
    response.close()


def test_team_without_hours_gets_the_header_only():
    response = app.test_client().get("/teams/7/report.csv")
    assert response.get_data(as_text=True) == "member,hours\n"
    response.close()
