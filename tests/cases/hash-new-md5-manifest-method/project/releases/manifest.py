"""A release manifest: the integrity digest of every artifact, checked before an artifact is installed."""

import hashlib
import hmac

CHUNK_SIZE = 64 * 1024


class ReleaseManifest:
    ALGORITHM = "md5"

    def __init__(self):
        self.artifacts = {}

    def integrity_digest(self, blob: bytes) -> str:
        digest = hashlib.new(self.ALGORITHM)
        for start in range(0, len(blob), CHUNK_SIZE):
            digest.update(blob[start:start + CHUNK_SIZE])
        return digest.hexdigest()

    def add(self, name, blob):
        self.artifacts[name] = self.integrity_digest(blob)

    def verify(self, name, blob):
        """True when `blob` is the artifact the manifest was made for."""
        expected = self.artifacts.get(name)
        return expected is not None and hmac.compare_digest(expected, self.integrity_digest(blob))

    def lines(self):
        return [f"{digest}  {name}" for name, digest in sorted(self.artifacts.items())]
