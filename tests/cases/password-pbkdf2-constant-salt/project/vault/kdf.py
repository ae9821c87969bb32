"""The vault's master passphrase: what is kept on disk, and the check when the vault is unlocked."""

import hashlib
import hmac

VAULT_SALT = b"pocket-vault/v1"
ROUNDS = 100_000


def derive_master_hash(passphrase: str) -> str:
    """The value written to the vault header."""
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), VAULT_SALT, ROUNDS).hex()


def unlock(passphrase: str, header_hash: str) -> bool:
    candidate = hashlib.pbkdf2_hmac("sha256", passphrase.encode("utf-8"), VAULT_SALT, ROUNDS).hex()
    return hmac.compare_digest(candidate, header_hash)
