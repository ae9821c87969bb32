import tarfile


def unpack_plugin(archive: str, target_dir: str) -> int:
    """Unpack a plugin archive; the number of members."""
    bundle = tarfile.open(name=archive, mode="r:gz")
    members = bundle.getmembers()
    bundle.extractall(path=target_dir, members=members)
    bundle.close()
    return len(members)
