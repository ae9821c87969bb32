from org.views import app


def test_members_of_a_department():
    assert app.test_client().post("/members", data={"dept": "eng"}).get_data(as_text=True) == "Lin,Kai"


def test_empty_department():
    assert app.test_client().post("/members", data={"dept": "hr"}).get_data(as_text=True) == ""
