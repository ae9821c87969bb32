import os

from notesapp import create_app


def test_default_config_creates_nothing():
    app = create_app()
    assert not app.testing
    assert app.config["DATABASE"].endswith("notes.sqlite")
    assert app.config["DATABASE"].startswith(app.instance_path)


def test_config_override(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "x.sqlite")})
    assert app.testing
    assert not os.path.exists(tmp_path / "x.sqlite")


def test_database_is_created_on_first_use(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "sub" / "new.sqlite")})
    resp = app.test_client().post("/register", data={"username": "bob", "password": "pw"})
    assert resp.status_code == 201
    assert (tmp_path / "sub" / "new.sqlite").exists()


def test_init_db_command(app):
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert "Initialized" in result.output
