from signup.app import app


def test_a_company_address_registers():
    response = app.test_client().post("/register", data={"email": "Ann.Lee@example.com"})
    assert response.status_code == 200 and response.json == {"registered": "ann.lee@example.com"}


def test_another_domain_is_refused():
    assert app.test_client().post("/register", data={"email": "ann@example.org"}).status_code == 400
