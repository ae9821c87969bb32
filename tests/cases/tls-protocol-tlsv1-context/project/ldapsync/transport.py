"""Transport settings for the LDAP directory synchroniser."""

import socket
import ssl

LDAPS_PORT = 636


def directory_tls_context():
    """The TLS context used for every LDAPS connection to the directory server."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    ctx.options |= ssl.OP_NO_COMPRESSION
    return ctx


def open_directory(host, port=LDAPS_PORT, timeout=10.0):
    """A TLS socket to the directory server."""
    raw = socket.create_connection((host, port), timeout=timeout)
    return directory_tls_context().wrap_socket(raw, server_hostname=host)
