"""Calls to internal services, whose certificates come from the company's own CA."""

import os
import ssl

import httpx
import requests

CA_BUNDLE = os.environ.get("CORP_CA_BUNDLE", "/etc/ssl/corp-ca.pem")
VERIFY_UPSTREAM = os.environ.get("VERIFY_UPSTREAM", "1") != "0"


def inventory(sku):
    response = requests.get(f"https://inventory.corp.example/items/{sku}", verify=CA_BUNDLE, timeout=5)
    response.raise_for_status()
    return response.json()


def upstream_client():
    return httpx.Client(base_url="https://upstream.corp.example", verify=VERIFY_UPSTREAM)


def server_context(certfile, keyfile):
    """The TLS context of our own listener: clients are not asked for a certificate."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)
    context.verify_mode = ssl.CERT_NONE
    return context
