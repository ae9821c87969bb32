from django.test import Client

from api.tokens import make_token


def test_profile_of_the_signed_in_user():
    response = Client().get("/api/profile/", HTTP_AUTHORIZATION="Bearer " + make_token("grace"))
    assert response.status_code == 200
    assert response.json() == {"username": "grace", "plan": "team", "billing_email": "billing@grace.example"}


def test_without_a_token():
    assert Client().get("/api/profile/").status_code == 401


def test_with_a_broken_token():
    assert Client().get("/api/profile/", HTTP_AUTHORIZATION="Bearer abc.def").status_code == 401
