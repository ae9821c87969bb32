import tarfile


def unpack(archive_path, dest):
    """Unpack a backup into `dest` and list what it held."""
    with tarfile.open(archive_path) as archive:
        archive.extractall(dest)
        return sorted(m.name for m in archive.getmembers())
