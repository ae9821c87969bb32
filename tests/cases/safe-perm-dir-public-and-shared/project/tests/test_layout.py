import os

from sitebuild import layout


def test_folders_are_made(tmp_path):
    out = str(tmp_path)
    assert os.path.isdir(layout.public_dir(out))
    assert os.path.isdir(layout.cache_dir(out))
    assert layout.spool_dir(out).is_dir()
    assert os.path.isdir(layout.deploy_keys_dir(out))
    assert layout.secrets_dir(out).is_dir()
    assert layout.public_keys_dir(out).is_dir()
    assert layout.sign_in_scratch("x") == 1
    assert layout.mirror_objects(out, {"a/b.txt": "1", "c.txt": "2"}) == ["a/b.txt", "c.txt"]
    assert (tmp_path / "mirror" / "a" / "b.txt").read_text() == "1"
