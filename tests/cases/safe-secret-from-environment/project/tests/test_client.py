import os

os.environ.setdefault("SERVICE_SECRET_KEY", "test")

FAKE_API_KEY = "sk_test_51Abc123Def456"  # a test's fake key is not reported

from service.client import headers  # noqa: E402


def test_headers_name_the_key_header():
    assert "X-Api-Key" in headers()


def test_the_login_form_keeps_its_fields():
    os.environ.setdefault("SERVICE_API_KEY", "k")
    from service.client import login_form

    assert login_form({"password": "pw"})["scheme"] == "Bearer"
