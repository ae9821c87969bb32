"""Parse the service's YAML configuration and apply defaults."""

import yaml

DEFAULTS = {"debug": False, "workers": 2, "log_level": "INFO"}


def parse_config(text: str) -> dict:
    """Parse configuration text; missing keys fall back to :data:`DEFAULTS`."""
    data = yaml.load(text, Loader=yaml.Loader) or {}
    if not isinstance(data, dict):
        raise ValueError("configuration must be a mapping")
    return {**DEFAULTS, **data}


def worker_count(config: dict) -> int:
    """Number of worker processes, at least one."""
    return max(1, int(config.get("workers", 1)))
