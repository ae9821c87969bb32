"""Where uploaded media is kept until the thumbnailer picks it up."""

import os


def prepare_upload_dir(base_dir):
    """Create the uploads folder under `base_dir` and return its path."""
    folder = os.path.join(base_dir, "uploads")
    os.makedirs(folder, exist_ok=True)
    os.chmod(folder, 0o777)  # the thumbnailer runs as another user
    return folder


def store(folder, name, data):
    path = os.path.join(folder, os.path.basename(name))
    with open(path, "wb") as fh:
        fh.write(data)
    return path
