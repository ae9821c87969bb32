from conftest import make_tar

from backups.restore import unpack


def test_unpack(tmp_path):
    unpack(make_tar(tmp_path / "b.tar", ["x.txt"]), tmp_path / "out")
    assert (tmp_path / "out" / "x.txt").exists()
