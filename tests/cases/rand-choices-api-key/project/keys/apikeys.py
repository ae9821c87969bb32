"""Issue API keys for the public REST API and keep only their hashes."""

import hashlib
import string
from random import choices

KEY_PREFIX = "pk_"


def new_api_key(prefix: str = KEY_PREFIX) -> str:
    """Return a new API key such as ``pk_Xy12...``."""
    return prefix + "".join(choices(string.ascii_letters + string.digits, k=16))


def hash_key(key: str) -> str:
    """The value stored in the database instead of the key itself."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_key(registry: dict[str, str], owner: str) -> str:
    """Create a key for ``owner``, store its hash in ``registry`` and return the key."""
    key = new_api_key()
    registry[hash_key(key)] = owner
    return key
