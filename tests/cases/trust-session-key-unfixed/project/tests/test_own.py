from prefs.app import app


def test_a_preference_is_stored():
    assert app.test_client().post("/toggle", data={"pref": "dark_mode"}).get_json() == {"stored": ["dark_mode"]}
