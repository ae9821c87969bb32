"""Signs release artifacts with the project's release key; installers check the signature."""

from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

KEY_FILE = Path(__file__).with_name("release_key.pem")


def load_release_key(path=KEY_FILE):
    return serialization.load_pem_private_key(Path(path).read_bytes(), password=None)


def sign_artifact(artifact: bytes, key_path=KEY_FILE) -> bytes:
    """The detached signature shipped next to the artifact."""
    key = load_release_key(key_path)
    return key.sign(artifact, padding.PKCS1v15(), hashes.MD5())


def public_key_pem(key_path=KEY_FILE) -> bytes:
    """What installers are given to check signatures with."""
    return load_release_key(key_path).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
