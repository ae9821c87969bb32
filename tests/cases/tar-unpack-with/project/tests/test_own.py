from conftest import make_tar

from backups.restore import unpack


def test_unpack(tmp_path):
    archive = make_tar(tmp_path / "b.tar", ["db.sql", "media/logo.png"])
    assert unpack(archive, tmp_path / "out") == ["db.sql", "media/logo.png"]
    assert (tmp_path / "out" / "media" / "logo.png").read_bytes() == b"data"
