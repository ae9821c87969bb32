import hashlib

import pytest

from assets import loader

ICON = bytes(range(16))


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    directory.mkdir()
    (directory / "icon.bin").write_bytes(ICON)
    monkeypatch.setattr(loader, "DATA_DIR", str(directory))
    return directory


def test_load_asset(data_dir):
    assert loader.load_asset("icon.bin") == ICON


def test_etag(data_dir):
    assert loader.asset_etag("icon.bin") == hashlib.sha256(ICON).hexdigest()[:16]


def test_size(data_dir):
    assert loader.asset_size("icon.bin") == 16
