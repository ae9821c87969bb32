from conftest import make_tar

from data.importer import Importer


def test_load(tmp_path):
    bundle = make_tar(tmp_path / "d.tar", ["iris.csv"])
    assert Importer(tmp_path / "root").load(bundle) == ["iris.csv"]
