from cryptography.hazmat.primitives import serialization

from sshkeys.keygen import write_private_key


def test_key_is_written_and_loads(tmp_path):
    path = tmp_path / "id_rsa"
    public = write_private_key(str(path))
    key = serialization.load_ssh_private_key(path.read_bytes(), password=None)
    assert public.startswith(b"ssh-rsa ")
    assert key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH) == public
