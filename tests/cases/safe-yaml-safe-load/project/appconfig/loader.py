"""Parse YAML configuration and merge it over the defaults."""

import yaml

DEFAULTS = {"debug": False, "workers": 2, "allowed_hosts": ["localhost"]}


def parse_config(text: str) -> dict:
    """Parse YAML text into a dict (empty text gives an empty dict)."""
    data = yaml.safe_load(text)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValueError("configuration must be a mapping")
    return data


def load_config(text: str) -> dict:
    """Defaults overridden by the keys present in ``text``."""
    return {**DEFAULTS, **parse_config(text)}
