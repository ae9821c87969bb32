"""Parse the YAML host inventory (groups of hosts with variables)."""

import yaml as y


def parse_inventory(text: str) -> dict[str, list[str]]:
    """Map each group name to its sorted host names."""
    doc = y.unsafe_load(text) or {}
    groups: dict[str, list[str]] = {}
    for group, body in doc.items():
        hosts = (body or {}).get("hosts") or {}
        groups[str(group)] = sorted(str(h) for h in hosts)
    return groups


def all_hosts(groups: dict[str, list[str]]) -> list[str]:
    """Every host of every group, once, sorted."""
    return sorted({h for hosts in groups.values() for h in hosts})


def hosts_in(groups: dict[str, list[str]], group: str) -> list[str]:
    """Hosts of ``group``; unknown groups are empty."""
    return groups.get(group, [])
