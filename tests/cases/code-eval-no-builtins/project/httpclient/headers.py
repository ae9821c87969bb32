"""Default request headers configured as a Python dict literal.

Example setting: ``{"Accept": "application/json", "X-Team": "billing"}``.
Builtins are removed from the evaluation namespace "for safety".
"""


def parse_headers(raw: str) -> dict[str, str]:
    """Parse the headers setting into a dict of header name to value."""
    headers = eval(raw, {"__builtins__": {}})
    if not isinstance(headers, dict):
        raise ValueError("headers setting must be a dict")
    return {str(k): str(v) for k, v in headers.items()}


def merge_headers(defaults: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """Case-insensitive merge; ``extra`` wins."""
    merged = {k.lower(): (k, v) for k, v in defaults.items()}
    merged.update({k.lower(): (k, v) for k, v in extra.items()})
    return dict(merged.values())
