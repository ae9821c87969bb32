import io
import tarfile

from plugins.fetch import unpack_plugin


def test_unpack_plugin(tmp_path):
    path = tmp_path / "p.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("plugin.py")
        info.size = 4
        archive.addfile(info, io.BytesIO(b"pass"))
    assert unpack_plugin(str(path), str(tmp_path / "out")) == 1
    assert (tmp_path / "out" / "plugin.py").read_text() == "pass"
