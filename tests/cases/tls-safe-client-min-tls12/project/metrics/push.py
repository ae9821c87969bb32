"""Pushes metrics to the collector over TLS."""

import socket
import ssl

COLLECTOR_PORT = 8443


def collector_context(cafile=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if cafile:
        ctx.load_verify_locations(cafile=cafile)
    else:
        ctx.load_default_certs()
    return ctx


def push(host, lines, port=COLLECTOR_PORT):
    with socket.create_connection((host, port), timeout=10) as raw:
        with collector_context().wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall("\n".join(lines).encode("utf-8"))
