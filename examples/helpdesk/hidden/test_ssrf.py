"""Exploit: the status check makes the server call the cloud metadata service and its own ports."""

import ipaddress
import socket


def test_the_status_check_never_connects_inside(client, monkeypatch):
    connections = []

    def refuse(sock, address):
        connections.append(address)
        raise ConnectionRefusedError(111, "no connection leaves the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    for url in ("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:5432/", "http://[::1]/admin"):
        try:
            client.get("/integrations/status/", {"url": url})
        except ValueError:
            pass  # the URL refused: the defence; where the server connected is what counts
    internal = [a for a in connections if not ipaddress.ip_address(a[0].split("%")[0]).is_global]
    assert not internal, f"the server connected to internal addresses: {internal}"
