import pytest

from manuals import reader


@pytest.fixture
def base(tmp_path, monkeypatch):
    base = tmp_path / "manuals"
    (base / "printer").mkdir(parents=True)
    (base / "printer" / "setup.txt").write_text("Plug it in.\n\nThen press power.", encoding="utf-8")
    monkeypatch.setattr(reader, "BASE", base)
    return base


def test_read_manual(base):
    assert reader.read_manual("printer/setup.txt").endswith("press power.")


def test_summary(base):
    assert reader.manual_summary("printer/setup.txt") == "Plug it in."


def test_traversal_is_refused(base, tmp_path):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    with pytest.raises(ValueError):
        reader.read_manual("../secret.txt")
    with pytest.raises(ValueError):
        reader.read_manual(str(tmp_path / "secret.txt"))
