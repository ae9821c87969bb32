import tarfile
from pathlib import Path


class Importer:
    """Loads dataset bundles under a root folder."""

    def __init__(self, root="datasets"):
        self.root = Path(root)

    def load(self, bundle):
        with tarfile.TarFile(bundle) as archive:
            archive.extractall(path=self.root)
        return sorted(p.name for p in self.root.iterdir())
