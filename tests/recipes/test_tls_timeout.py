"""PF-TLS and PF-TIMEOUT detection: the shapes each reports, and the look-alikes it leaves alone."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import detect
from provenfix.workspace import SourceFile


def rules(src: str, path: str = "pkg/m.py") -> list[str]:
    return sorted(f.rule_id for f in detect([SourceFile(path, textwrap.dedent(src))]).findings)


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("import requests\ndef f(url):\n    return requests.get(url, verify=False, timeout=5)\n", ["PF-TLS"]),
        ("import requests\ndef f(url):\n    return requests.get(url, verify='/etc/ca.pem', timeout=5)\n", []),
        ("import requests\ndef f(url, ca):\n    return requests.get(url, verify=ca, timeout=5)\n", []),
        ("import requests\nclass C:\n    def __init__(self):\n        self.s = requests.Session()\n        self.s.verify = False\n",
         ["PF-TLS"]),
        ("import httpx\ndef f():\n    with httpx.Client(verify=False) as c:\n        return c.get('https://x').text\n", ["PF-TLS"]),
        ("import ssl\ndef f():\n    ctx = ssl.create_default_context()\n    ctx.check_hostname = False\n"
         "    ctx.verify_mode = ssl.CERT_NONE\n    return ctx\n", ["PF-TLS"]),
        ("import ssl\ndef f():\n    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)\n"
         "    ctx.verify_mode = ssl.CERT_NONE\n    return ctx\n", []),  # a server's context
        ("import ssl\ndef f():\n    return ssl._create_unverified_context()\n", ["PF-TLS"]),
        # An opt-out the caller or the user asks for (ansible's make_context, a --insecure flag): not reported.
        ("import ssl\ndef make_context(validate_certs=True):\n    ctx = ssl.create_default_context()\n"
         "    if not validate_certs:\n        ctx.check_hostname = False\n        ctx.verify_mode = ssl.CERT_NONE\n"
         "    return ctx\n", []),
        ("import requests\ndef f(url, options):\n    if options.insecure:\n"
         "        return requests.get(url, verify=False, timeout=5)\n    return requests.get(url, timeout=5)\n", []),
        ("import requests\ndef f(url):\n    if url.startswith('https://'):\n"
         "        return requests.get(url, verify=False, timeout=5)\n", ["PF-TLS"]),  # a condition that is no switch
        # With no host name there is none to check (asyncio's client context); the certificate still is.
        ("import ssl\ndef f(server_hostname):\n    ctx = ssl.create_default_context()\n"
         "    if not server_hostname:\n        ctx.check_hostname = False\n    return ctx\n", []),
        ("import ssl\ndef f(server_hostname):\n    ctx = ssl.create_default_context()\n"
         "    if not server_hostname:\n        ctx.check_hostname = False\n        ctx.verify_mode = ssl.CERT_NONE\n"
         "    return ctx\n", ["PF-TLS"]),
        ("import urllib3\ndef f():\n    return urllib3.PoolManager(cert_reqs='CERT_NONE')\n", ["PF-TLS"]),
        ("import urllib3\ndef f():\n    return urllib3.PoolManager(cert_reqs='CERT_REQUIRED')\n", []),
        ("import aiohttp\nasync def f(url):\n    async with aiohttp.ClientSession() as s:\n"
         "        async with s.get(url, ssl=False) as r:\n            return await r.text()\n", ["PF-TLS"]),
    ],
)
def test_tls_shapes(src: str, expected: list[str]) -> None:
    assert rules(src) == expected


def test_tls_in_test_code_is_not_reported() -> None:
    assert rules("import requests\ndef test_f():\n    requests.get('https://x', verify=False, timeout=1)\n",
                 path="tests/test_x.py") == []


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("import requests\ndef f(url):\n    return requests.get(url)\n", ["PF-TIMEOUT"]),
        ("import requests\ndef f(url):\n    return requests.post(url, json={}, timeout=None)\n", ["PF-TIMEOUT"]),
        ("import requests\ndef f(url):\n    return requests.get(url, timeout=5)\n", []),
        ("import requests\ndef f(url, **kw):\n    return requests.get(url, **kw)\n", []),  # may hold a timeout
        ("import requests\nclass C:\n    def __init__(self):\n        self.s = requests.Session()\n"
         "    def get(self, path):\n        return self.s.get('https://api.x.com/' + path)\n", ["PF-TIMEOUT"]),
        ("import httpx\ndef f(url):\n    return httpx.get(url)\n", []),  # httpx's default is 5 s
        ("import httpx\ndef f():\n    return httpx.Client(timeout=None)\n", ["PF-TIMEOUT"]),
        ("import urllib.request\ndef f(url):\n    return urllib.request.urlopen(url).read()\n", ["PF-TIMEOUT"]),
        ("import urllib.request\ndef f(url):\n    return urllib.request.urlopen(url, timeout=3).read()\n", []),
        ("import socket\ndef f(h, p):\n    return socket.create_connection((h, p))\n", ["PF-TIMEOUT"]),
        ("import socket\ndef f(h, p):\n    s = socket.create_connection((h, p))\n    s.settimeout(3)\n    return s\n", []),
        ("import socket\nsocket.setdefaulttimeout(5)\ndef f(h, p):\n    return socket.create_connection((h, p))\n", []),
        ("import http.client\ndef f(h):\n    return http.client.HTTPSConnection(h)\n", ["PF-TIMEOUT"]),
        ("import requests\ndef f(d):\n    return d.get('x')\n", []),
    ],
)
def test_timeout_shapes(src: str, expected: list[str]) -> None:
    assert rules(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("import ssl\ndef f():\n    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n", ["PF-TLS"]),
        ("from ssl import SSLContext, PROTOCOL_TLSv1_1\ndef f():\n    ctx = SSLContext(PROTOCOL_TLSv1_1)\n    return ctx\n",
         ["PF-TLS"]),
        ("import ssl\ndef f():\n    ctx = ssl.SSLContext(ssl.PROTOCOL_SSLv3)\n    ctx.load_cert_chain('c.pem')\n    return ctx\n",
         ["PF-TLS"]),  # a server's
        ("import ssl\nclass C:\n    def __init__(self):\n        self.ctx = ssl.create_default_context()\n"
         "        self.ctx.minimum_version = ssl.TLSVersion.TLSv1\n", ["PF-TLS"]),
        ("import ssl, socket\ndef f(h):\n    s = socket.create_connection((h, 443), timeout=5)\n"
         "    return ssl.wrap_socket(s, ssl_version=ssl.PROTOCOL_TLSv1)\n", ["PF-TLS"]),
        # Not weak: the version-flexible protocols, a minimum of TLS 1.2 or 1.3.
        ("import ssl\ndef f():\n    return ssl.SSLContext(ssl.PROTOCOL_SSLv23)\n", []),
        ("import ssl\ndef f():\n    return ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)\n", []),
        ("import ssl\ndef f():\n    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)\n"
         "    ctx.minimum_version = ssl.TLSVersion.TLSv1_2\n    return ctx\n", []),
        ("import ssl\ndef f():\n    ctx = ssl.create_default_context()\n    ctx.minimum_version = ssl.TLSVersion.TLSv1_3\n"
         "    return ctx\n", []),
        ("import ssl, socket\ndef f(h):\n    s = socket.create_connection((h, 443), timeout=5)\n"
         "    return ssl.wrap_socket(s, ssl_version=ssl.PROTOCOL_TLS)\n", []),
    ],
)
def test_tls_protocol_shapes(src: str, expected: list[str]) -> None:
    assert rules(src) == expected


def test_tls_protocol_in_test_code_is_not_reported() -> None:
    assert rules("import ssl\ndef test_f():\n    assert ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n", path="tests/test_x.py") == []


def _fixed(src: str) -> str:
    """The recipe's rewrite of the one PF-TLS finding in `src`."""
    src = textwrap.dedent(src)
    detection = detect([SourceFile("pkg/m.py", src)])
    (item,) = [d for d in detection.items if d.finding.rule_id == "PF-TLS"]
    if "unfixable" in item.match.detail:
        return "UNFIXABLE: " + item.match.detail["unfixable"]
    return item.recipe.rewrite(item.match, {"pkg/m.py": src}, detection.index)["pkg/m.py"]


def test_old_client_protocol_becomes_a_default_context() -> None:
    out = _fixed("import ssl\ndef f():\n    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n    return ctx\n")
    assert "ctx = ssl.create_default_context()" in out and "PROTOCOL_TLSv1" not in out


def test_old_server_protocol_becomes_tls_server() -> None:
    out = _fixed("import ssl\ndef f():\n    ctx = ssl.SSLContext(ssl.PROTOCOL_SSLv3)\n"
                 "    ctx.load_cert_chain('c.pem')\n    return ctx\n")
    assert "ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)" in out


def test_old_minimum_version_is_raised() -> None:
    out = _fixed("import ssl\ndef f():\n    ctx = ssl.create_default_context()\n"
                 "    ctx.minimum_version = ssl.TLSVersion.TLSv1_1\n    return ctx\n")
    assert "ctx.minimum_version = ssl.TLSVersion.TLSv1_2" in out


def test_wrap_socket_with_old_version_is_unfixable() -> None:
    out = _fixed("import ssl, socket\ndef f(h):\n    s = socket.create_connection((h, 443), timeout=5)\n"
                 "    return ssl.wrap_socket(s, ssl_version=ssl.PROTOCOL_TLSv1)\n")
    assert out.startswith("UNFIXABLE") and "create_default_context" in out


def test_old_client_protocol_with_verification_settings_is_unfixable() -> None:
    out = _fixed("import ssl\ndef f():\n    ctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n"
                 "    ctx.verify_mode = ssl.CERT_NONE\n    return ctx\n")
    assert out.startswith("UNFIXABLE")
