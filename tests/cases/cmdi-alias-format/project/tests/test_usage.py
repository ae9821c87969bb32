import pytest

from diskwatch.usage import disk_usage_kb, over_quota, usage_report


def test_disk_usage_of_directory(tmp_path):
    (tmp_path / "blob.bin").write_bytes(b"\0" * 64_000)
    size = disk_usage_kb(str(tmp_path))
    assert isinstance(size, int)
    assert size >= 1


def test_quota_and_report(tmp_path):
    (tmp_path / "a.txt").write_text("hello")
    assert over_quota(str(tmp_path), quota_kb=10_000_000) is False
    assert over_quota(str(tmp_path), quota_kb=-1) is True
    assert list(usage_report([str(tmp_path)])) == [str(tmp_path)]


def test_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError):
        disk_usage_kb(str(tmp_path / "missing"))
