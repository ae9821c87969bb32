import os
import tarfile

THEMES_DIR = "themes-installed"


def install_theme(package):
    """Install a theme package: every member goes under THEMES_DIR."""
    archive = tarfile.open(package, "r:*")
    installed = []
    for member in archive.getmembers():
        archive.extract(member, THEMES_DIR)
        installed.append(os.path.join(THEMES_DIR, member.name))
    archive.close()
    return installed
