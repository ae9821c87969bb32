import pytest

from vault.header import create, open_vault


def test_create_then_open(tmp_path):
    create(tmp_path / "v.json", "personal", "open sesame please")
    assert open_vault(tmp_path / "v.json", "open sesame please") == "personal"
    with pytest.raises(PermissionError):
        open_vault(tmp_path / "v.json", "open sesame")
