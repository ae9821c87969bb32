"""Self-signed certificates for local HTTPS, laid out as nginx expects: certs/ and private/."""

import datetime
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _self_signed(key, hostname):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = datetime.datetime.now(datetime.timezone.utc)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .sign(key, hashes.SHA256())
    )


def issue_dev_certificate(directory, hostname="localhost"):
    """Write <directory>/certs/<hostname>.pem and <directory>/private/<hostname>.key; return both paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _self_signed(key, hostname)

    os.makedirs(os.path.join(directory, "certs"), exist_ok=True)
    cert_path = os.path.join(directory, "certs", hostname + ".pem")
    with open(cert_path, "wb") as fh:
        fh.write(certificate.public_bytes(serialization.Encoding.PEM))

    private = os.path.join(directory, "private")
    if not os.path.isdir(private):
        os.mkdir(private, 0o755)
    key_path = os.path.join(private, hostname + ".key")
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with open(key_path, "xb") as fh:  # never overwrite a key in use
        fh.write(pem)
    return cert_path, key_path
