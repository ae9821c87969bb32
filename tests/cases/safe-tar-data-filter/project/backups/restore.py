import tarfile


def unpack(archive_path, dest):
    with tarfile.open(archive_path) as archive:
        archive.extractall(dest, filter="data")
