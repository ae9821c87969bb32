import tarfile

from backups.archiver import Archiver


def test_create_compressed_archive(tmp_path):
    src = tmp_path / "data"
    src.mkdir()
    (src / "notes.txt").write_text("keep me")
    out = tmp_path / "backup.tar.gz"
    assert Archiver().create(str(out), str(src)) == 0
    assert tarfile.is_tarfile(out)
    assert any(name.endswith("data/notes.txt") for name in Archiver().members(str(out)))


def test_create_plain_archive(tmp_path):
    src = tmp_path / "file.txt"
    src.write_text("x")
    out = tmp_path / "backup.tar"
    assert Archiver(compress=False).create(str(out), str(src)) == 0
    assert any(name.endswith("file.txt") for name in Archiver().members(str(out)))
