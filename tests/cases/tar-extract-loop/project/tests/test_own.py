from conftest import make_tar

from themes import install


def test_install(tmp_path, monkeypatch):
    monkeypatch.setattr(install, "THEMES_DIR", str(tmp_path / "themes"))
    package = make_tar(tmp_path / "dark.tar", ["dark/style.css"])
    assert install.install_theme(package) == [str(tmp_path / "themes" / "dark/style.css")]
