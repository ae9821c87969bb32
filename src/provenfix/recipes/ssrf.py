"""Server-side request forgery (CWE-918): the server fetches a URL whose host comes from the request.

`requests.get(request.args["url"])` lets anyone make the server call what only it can reach:
the cloud's metadata service at 169.254.169.254 (and the credentials it hands out), admin ports
on localhost, services of the private network. Detects requests, httpx, aiohttp, urllib3 and
urllib calls whose URL is input, or is built with input where the host goes (`f"http://{host}/"`);
input after a host the code chose (`f"{API}/users/{id}"`) is not this class. The fix passes the
URL through a check that refuses other schemes and every non-public address the host resolves to.
"""

from __future__ import annotations

from provenfix.codemods.base import span_of
from provenfix.flow.index import ProjectIndex
from provenfix.flow.taint import Analysis, CallSite
from provenfix.model import Finding
from provenfix.recipes.base import Match, ProofPlan, Recipe, argument, input_picks_host

VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
# Where the URL goes: (position, keyword) of a library function or of a client object's method.
FUNCTIONS = {
    **{f"{lib}.{verb}": (0, "url") for lib in ("requests", "requests.api", "httpx") for verb in VERBS},
    "requests.request": (1, "url"), "requests.api.request": (1, "url"), "httpx.request": (1, "url"),
    "httpx.stream": (1, "url"), "urllib3.request": (1, "url"),
    "urllib.request.urlopen": (0, "url"), "urllib.request.Request": (0, "url"),
}
CLIENTS = ("requests.Session()", "requests.sessions.Session()", "requests.session()", "httpx.Client()",
           "httpx.AsyncClient()", "aiohttp.ClientSession()", "aiohttp.client.ClientSession()",
           "urllib3.PoolManager()", "urllib3.poolmanager.PoolManager()")
METHODS = {**{verb: (0, "url") for verb in VERBS}, "request": (1, "url"), "stream": (1, "url"), "urlopen": (1, "url")}
INTERNAL_HOSTS = ["127.0.0.1", "169.254.169.254", "[::1]", "0x7f000001"]  # bare hosts: the code may add a port
PUBLIC_HOST = "93.184.215.14"  # a public address the proof's benign input names (no connection leaves the sandbox)
HELPER = "_public_url"
HELPER_CODE = '''\
def _public_url(url, schemes=("http", "https")):
    """`url` when it is an http(s) URL whose host resolves to public addresses only, else ValueError:
    this machine, private networks and the cloud metadata service (169.254.169.254) are refused
    however the host is spelled (`0x7f000001`, `[::1]`, a name that resolves to them). A name that
    does not resolve is left to the request, which cannot reach it either."""
    import ipaddress
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(str(url).strip())
    try:
        if parts.scheme.lower() not in schemes or not parts.hostname:
            raise ValueError("not an http(s) URL with a host")
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port)}
    except socket.gaierror:
        return url
    except (OSError, ValueError) as exc:
        raise ValueError(f"refused to fetch {url!r}: {exc}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or getattr(ip, "ipv4_mapped", None) and not ip.ipv4_mapped.is_global:
            raise ValueError(f"refused to fetch {url!r}: {parts.hostname} is not a public address")
    return url
'''


class ServerSideRequestForgery(Recipe):
    rule_id = "PF-SSRF"
    kind = "ssrf"
    call_names = frozenset({"urlopen", "Request", "request", "stream", *VERBS})
    equivalent_ids = frozenset({"B310", "S310"})  # urllib_urlopen: "audit url open for permitted schemes"
    helper_code = HELPER_CODE

    def detect(self, site: CallSite, analysis: Analysis) -> Match | None:
        where = self._url_argument(site)
        if where is None or (url := argument(site, *where)) is None:
            return None
        node, value = url
        if not value.tainted(self.kind) or value.type == "urllib.request.Request()":
            return None  # `urlopen(Request(url))`: reported where the Request is made
        if not input_picks_host(value):
            return None  # input after a host the code chose: the server still calls that host
        return Match(site, value, "the server requests a URL whose host comes from the input: it can be made "
                     "to call internal services (the cloud metadata address, ports on localhost)", node,
                     detail={"lead": value.leading()})

    @staticmethod
    def _url_argument(site: CallSite) -> tuple[int, str] | None:
        if site.name in FUNCTIONS:
            return FUNCTIONS[site.name]
        method = getattr(site.node.func, "attr", None)
        if method in METHODS and (site.receiver_type or "").startswith(CLIENTS):
            return METHODS[method]
        return None

    def rewrite(self, match: Match, texts: dict[str, str], index: ProjectIndex) -> dict[str, str]:
        from provenfix.codemods.wrap import wrap_in_helper  # LibCST loads only when a fix is made

        path = match.site.module.path
        return {path: wrap_in_helper(texts[path], [span_of(match.target, texts[path])], HELPER, HELPER_CODE)}

    def proof(self, finding: Finding, match: Match) -> ProofPlan:
        lead = match.detail.get("lead") or ""
        # Input that is the whole URL gets URLs; input after `http://` gets hosts.
        shape = (lambda host: f'"{host}"') if lead.endswith("/") else (lambda host: f'"http://{host}/latest/meta-data/"')
        return ProofPlan(
            doc="It asks the server to fetch this machine, the metadata service (169.254.169.254) and "
                "spellings of them (`[::1]`, `0x7f000001`), and checks no connection goes to an internal address.",
            payloads=[shape(host) for host in INTERNAL_HOSTS],
            setup=(
                "import ipaddress\n"
                "import socket\n"
                "connections = []\n"
                "def refuse(sock, address, *rest):\n"
                "    connections.append(address)\n"
                "    raise ConnectionRefusedError(111, \"the proof test lets no connection out\")\n"
                "monkeypatch.setattr(socket.socket, \"connect\", refuse)\n"
                "monkeypatch.setattr(socket.socket, \"connect_ex\", lambda sock, address: (connections.append(address), 111)[1])"
            ),
            check=(
                "def internal(address):\n"
                "    host = address[0] if isinstance(address, tuple) else address\n"
                "    try:\n"
                "        ip = ipaddress.ip_address(str(host).split(\"%\")[0])\n"
                "    except ValueError:\n"
                "        return True  # a Unix socket: no public address either\n"
                "    return not ip.is_global\n"
                "reached = [a for a in connections if internal(a)]\n"
                "assert not reached, f\"the server connected to internal addresses: {reached}\""
            ),
            benign=[shape(PUBLIC_HOST)],
        )
