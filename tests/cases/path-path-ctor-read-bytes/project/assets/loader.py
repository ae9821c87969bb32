"""Load binary theme assets (icons, fonts) and compute cache keys for them."""

import hashlib
import os
from pathlib import Path

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


def load_asset(name: str) -> bytes:
    """Return the raw bytes of the asset called ``name``."""
    return Path(DATA_DIR, name).read_bytes()


def asset_etag(name: str) -> str:
    """A short content hash used as the HTTP ETag for an asset."""
    return hashlib.sha256(load_asset(name)).hexdigest()[:16]


def asset_size(name: str) -> int:
    """Size of an asset in bytes."""
    return len(load_asset(name))
