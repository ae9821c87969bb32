from team.views import app


def test_find_by_common_name():
    assert app.test_client().post("/find", data={"cn": "Alice Liddell"}).get_json() == {"mail": ["alice@example.org"]}
