from prefs.views import PREFS, app


def test_saving_returns_to_the_page_the_form_was_on():
    client = app.test_client()
    response = client.post("/settings", data={"theme": "dark", "return_to": "/dashboard#prefs"})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard#prefs"
    assert PREFS["theme"] == "dark"
    assert client.get("/settings").get_data(as_text=True) == "theme: dark"


def test_relative_return_path_is_kept():
    response = app.test_client().post("/settings", data={"theme": "light", "return_to": "profile"})
    assert response.headers["Location"] == "profile"
