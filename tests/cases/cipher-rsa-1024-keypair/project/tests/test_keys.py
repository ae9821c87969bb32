from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from deploy.keys import new_deploy_keypair


def test_pair_matches():
    private_pem, public_line = new_deploy_keypair("ci@example")
    private_key = serialization.load_pem_private_key(private_pem, None)
    public_key = serialization.load_ssh_public_key(public_line.rsplit(" ", 1)[0].encode())
    signature = private_key.sign(b"push", padding.PKCS1v15(), hashes.SHA256())
    public_key.verify(signature, b"push", padding.PKCS1v15(), hashes.SHA256())


def test_comment_and_format():
    private_pem, public_line = new_deploy_keypair("ci@example")
    assert private_pem.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert public_line.startswith("ssh-rsa ") and public_line.endswith(" ci@example")
