"""Create compressed tarballs of directories for the nightly backup job."""

import subprocess
import tarfile


class Archiver:
    """Wraps the system ``tar`` so archives match the ones ops create by hand."""

    def __init__(self, compress: bool = True) -> None:
        self.compress = compress

    def create(self, out: str, src: str) -> int:
        """Archive ``src`` into ``out``; return tar's exit status."""
        flags = "-czf " if self.compress else "-cf "
        cmd = "tar " + flags + out
        cmd += " " + src
        return subprocess.call(cmd, shell=True, stderr=subprocess.DEVNULL)

    def members(self, archive: str) -> list[str]:
        """Names stored in ``archive``."""
        with tarfile.open(archive) as tar:
            return tar.getnames()
