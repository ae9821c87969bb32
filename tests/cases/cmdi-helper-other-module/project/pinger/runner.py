"""Run the uptime probe for one host or a list of hosts."""

import os

from pinger.cmds import build_cmd, describe


def run_check(host: str) -> int:
    """Run the probe for ``host`` and return its exit status (0 = up)."""
    return os.system(build_cmd(host))


def run_all(hosts: list[str]) -> dict[str, bool]:
    """Probe every host; map a label to whether it is up."""
    return {describe(h): run_check(h) == 0 for h in hosts}
