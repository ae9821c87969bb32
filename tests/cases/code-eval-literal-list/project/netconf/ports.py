"""Parse the ``allowed_ports`` setting of the firewall profile.

Profiles store the setting as a Python-style list, e.g. ``[22, 80, 443]``.
"""

MIN_PORT = 1
MAX_PORT = 65535


def parse_ports(raw: str) -> list[int]:
    """Turn the ``allowed_ports`` text into a sorted list of unique ports."""
    ports = eval(raw)
    return sorted({int(p) for p in ports})


def validate_ports(ports: list[int]) -> list[int]:
    """Reject ports outside the valid TCP range."""
    bad = [p for p in ports if not MIN_PORT <= p <= MAX_PORT]
    if bad:
        raise ValueError(f"invalid ports: {bad}")
    return ports


def render_rule(ports: list[int]) -> str:
    """iptables-style multiport rule for the allowed ports."""
    return "-p tcp -m multiport --dports " + ",".join(str(p) for p in ports)
