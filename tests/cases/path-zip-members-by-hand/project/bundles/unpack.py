import os
import zipfile


def unpack(archive_path, dest):
    """Unpack a theme bundle into `dest`, file by file."""
    written = []
    with zipfile.ZipFile(archive_path) as bundle:
        for name in bundle.namelist():
            if name.endswith("/"):
                continue
            target = os.path.join(dest, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(bundle.read(name))
            written.append(name)
    return written
