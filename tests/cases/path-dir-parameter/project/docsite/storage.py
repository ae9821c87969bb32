"""Reading documents from whichever folder a caller keeps them in."""

import os


def read_document(filename, dir_path):
    with open(os.path.join(dir_path, filename), encoding="utf-8") as handle:
        return handle.read()
