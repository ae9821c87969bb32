import logging

from auth.views import app


def test_right_password_logs_in():
    response = app.test_client().post("/login", data={"user": "alice", "password": "wonderland"})
    assert response.status_code == 200 and response.get_json() == {"ok": True}


def test_failed_login_is_logged_with_the_user_name(caplog):
    with caplog.at_level(logging.WARNING, logger="auth.views"):
        response = app.test_client().post("/login", data={"user": "mallory", "password": "guess"})
    assert response.status_code == 401
    assert [r.getMessage() for r in caplog.records] == ["login failed for mallory"]
