import os

from mediastore.storage import prepare_upload_dir, store


def test_upload_dir_is_created_and_usable(tmp_path):
    folder = prepare_upload_dir(str(tmp_path))
    assert os.path.isdir(folder) and folder.endswith("uploads")
    path = store(folder, "cat.png", b"\x89PNG")
    assert open(path, "rb").read() == b"\x89PNG"


def test_prepare_twice_is_fine(tmp_path):
    assert prepare_upload_dir(str(tmp_path)) == prepare_upload_dir(str(tmp_path))
